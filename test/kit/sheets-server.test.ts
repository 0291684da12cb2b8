import { drive as driveApi } from "googleapis/build/src/apis/drive/index.js";
import { type sheets_v4, sheets as sheetsApi } from "googleapis/build/src/apis/sheets/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { parseA1, type SheetsServer, startSheetsServer } from "./sheets-server.js";

let server: SheetsServer;
let sheets: sheets_v4.Sheets;
beforeAll(async () => {
  server = await startSheetsServer();
  sheets = sheetsApi({ version: "v4", auth: localAuth(), rootUrl: server.url });
});
afterAll(() => server.close());

/** The error a call fails with (the test fails if it succeeds). */
/** What a googleapis call fails with (gaxios' GaxiosError), as far as these tests read it. */
interface GaxiosError extends Error {
  status?: number;
  response?: { status: number; data: unknown };
}

const failure = async (call: Promise<unknown>): Promise<GaxiosError> => {
  try {
    await call;
  } catch (e) {
    return e as GaxiosError;
  }
  throw new Error("expected the call to fail");
};

/** A spreadsheet with a small "Theo dõi" tab (sheetId 0) and a default-sized "Cấu hình" tab. */
const newSpreadsheet = async (rows = 20, columns = 6) => {
  const { data } = await sheets.spreadsheets.create({
    requestBody: {
      properties: { title: "Theo dõi điển hình", locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" },
      sheets: [
        { properties: { title: "Theo dõi", gridProperties: { rowCount: rows, columnCount: columns } } },
        { properties: { title: "Cấu hình" } },
      ],
    },
  });
  return data.spreadsheetId ?? "";
};

const batchGet = async (
  spreadsheetId: string,
  ranges: string[],
  options: Partial<sheets_v4.Params$Resource$Spreadsheets$Values$Batchget> = {},
) =>
  (await sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges, ...options })).data.valueRanges ?? [];

describe("parseA1", () => {
  it.each([
    ["Sheet1", { title: "Sheet1", startRow: 0, startColumn: 0 }],
    ["'Theo dõi'", { title: "Theo dõi", startRow: 0, startColumn: 0 }],
    ["'O''Brien'!B2", { title: "O'Brien", startRow: 1, endRow: 2, startColumn: 1, endColumn: 2 }],
    ["'Theo dõi'!A1:C5", { title: "Theo dõi", startRow: 0, endRow: 5, startColumn: 0, endColumn: 3 }],
    ["Tab!A:C", { title: "Tab", startRow: 0, startColumn: 0, endColumn: 3 }],
    ["Tab!A2:C", { title: "Tab", startRow: 1, startColumn: 0, endColumn: 3 }],
    ["Tab!3:5", { title: "Tab", startRow: 2, endRow: 5, startColumn: 0 }],
    ["Tab!Z1:AB10", { title: "Tab", startRow: 0, endRow: 10, startColumn: 25, endColumn: 28 }],
    ["Tab!AAA1", { title: "Tab", startRow: 0, endRow: 1, startColumn: 702, endColumn: 703 }],
    ["Tab!C5:A1", { title: "Tab", startRow: 0, endRow: 5, startColumn: 0, endColumn: 3 }],
    ["'a!b'!N5", { title: "a!b", startRow: 4, endRow: 5, startColumn: 13, endColumn: 14 }],
  ])("%s", (range, expected) => {
    expect(parseA1(range)).toEqual(expected);
  });

  it.each(["", "''!A1", "'Unclosed!A1", "Tab!A0", "Tab!1A", "Tab!A1:B2:C3", "Tab!A", "Tab!"])(
    "refuses %j",
    (range) => {
      expect(() => parseA1(range)).toThrow(/Unable to parse range/u);
    },
  );
});

describe("sheets server, through googleapis", () => {
  it("creates a spreadsheet and gets it back, sheet ids, indexes and grid sizes included", async () => {
    const id = await newSpreadsheet();
    const { data } = await sheets.spreadsheets.get({ spreadsheetId: id });
    expect(data.spreadsheetUrl).toBe(`${server.url}/spreadsheets/d/${id}/edit`);
    expect(data.properties).toMatchObject({
      title: "Theo dõi điển hình",
      locale: "vi_VN",
      timeZone: "Asia/Ho_Chi_Minh",
    });
    const [tracking, config] = data.sheets ?? [];
    expect(tracking?.properties).toMatchObject({
      sheetId: 0,
      title: "Theo dõi",
      index: 0,
      gridProperties: { rowCount: 20, columnCount: 6 },
    });
    expect(config?.properties).toMatchObject({
      title: "Cấu hình",
      index: 1,
      gridProperties: { rowCount: 1000, columnCount: 26 },
    });
    expect(config?.properties?.sheetId).not.toBe(0);

    const bare = await sheets.spreadsheets.create({ requestBody: { properties: { title: "x" } } });
    expect(bare.data.sheets?.map((s) => s.properties?.title)).toEqual(["Sheet1"]);

    const missing = await failure(sheets.spreadsheets.get({ spreadsheetId: "nope" }, { retry: false }));
    expect(missing.status).toBe(404);
    expect(missing.response?.data).toMatchObject({ error: { code: 404, status: "NOT_FOUND" } });
  });

  it("returns grid data with includeGridData, optionally limited to ranges", async () => {
    const id = await newSpreadsheet();
    server.setValues(id, "'Theo dõi'!A1", [["Mã", 3, true, { formula: "=B1*2" }]]);
    server.setValues(id, "'Theo dõi'!B3", [["x"]]);
    const { data } = await sheets.spreadsheets.get({
      spreadsheetId: id,
      includeGridData: true,
      ranges: ["'Theo dõi'!A1:D3"],
    });
    expect(data.sheets).toHaveLength(1);
    const [grid] = data.sheets?.[0]?.data ?? [];
    expect(grid?.rowData?.[0]?.values?.map((v) => v.effectiveValue ?? v.userEnteredValue)).toEqual([
      { stringValue: "Mã" },
      { numberValue: 3 },
      { boolValue: true },
      { formulaValue: "=B1*2" },
    ]);
    expect(grid?.rowData?.[1]).toEqual({});
    expect(grid?.rowData?.[2]?.values).toEqual([{}, expect.objectContaining({ formattedValue: "x" })]);
  });

  it("values.batchUpdate: RAW keeps '=1+1' a string, USER_ENTERED makes formulas, numbers and booleans", async () => {
    const id = await newSpreadsheet();
    const { data } = await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        valueInputOption: "RAW",
        data: [{ range: "'Theo dõi'!A1", values: [["=1+1", "12", "TRUE"]] }],
      },
    });
    expect(data).toMatchObject({
      totalUpdatedCells: 3,
      totalUpdatedSheets: 1,
      responses: [{ updatedRange: "'Theo dõi'!A1:C1", updatedRows: 1, updatedColumns: 3, updatedCells: 3 }],
    });
    await sheets.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        valueInputOption: "USER_ENTERED",
        data: [{ range: "'Theo dõi'!A2:C2", values: [["=1+1", "12", "TRUE"]] }],
      },
    });
    expect(server.values(id, "Theo dõi")).toEqual([
      ["=1+1", "12", "TRUE"],
      [{ formula: "=1+1" }, 12, true],
    ]);
    const [formulas, formatted] = [
      await batchGet(id, ["'Theo dõi'!A2:C2"], { valueRenderOption: "FORMULA" }),
      await batchGet(id, ["'Theo dõi'!A2:C2"]),
    ];
    expect(formulas[0]?.values).toEqual([["=1+1", 12, true]]);
    expect(formatted[0]?.values).toEqual([["=1+1", "12", "TRUE"]]);

    const noOption = await failure(
      sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: id,
        requestBody: { data: [{ range: "'Theo dõi'!A1", values: [["x"]] }] },
      }),
    );
    expect(noOption.status).toBe(400);
  });

  it("null leaves a cell alone, '' clears it; a bounded range refuses extra rows", async () => {
    const id = await newSpreadsheet();
    server.setValues(id, "'Theo dõi'!A1", [["a", "b", "c"]]);
    await sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Theo dõi'!A1:C1",
      valueInputOption: "RAW",
      requestBody: { values: [[null, "", "C"]] },
    });
    expect(server.values(id, "Theo dõi")).toEqual([["a", "", "C"]]);
    const tooMany = await failure(
      sheets.spreadsheets.values.update({
        spreadsheetId: id,
        range: "'Theo dõi'!A1:C1",
        valueInputOption: "RAW",
        requestBody: { values: [["x"], ["y"]] },
      }),
    );
    expect(tooMany.message).toContain("tried writing to row [2]");
  });

  it("batchGet trims like Google, echoes normalized ranges and resolves quoted Vietnamese titles", async () => {
    const id = await newSpreadsheet();
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ addSheet: { properties: { title: "O'Brien" } } }] },
    });
    server.setValues(id, "'Theo dõi'!A1", [["a", "", "c", ""]]);
    server.setValues(id, "'Theo dõi'!B3", [["x"]]);
    server.setValues(id, "'O''Brien'!A1", [[1]]);
    const [whole, block, empty, columns, brien] = await batchGet(id, [
      "'Theo dõi'",
      "'Theo dõi'!A1:E10",
      "'Theo dõi'!D4:E5",
      "'Theo dõi'!A:B",
      "'O''Brien'!A1",
    ]);
    expect(whole).toEqual({
      range: "'Theo dõi'!A1:F20",
      majorDimension: "ROWS",
      values: [["a", "", "c"], [], ["", "x"]],
    });
    expect(block?.range).toBe("'Theo dõi'!A1:E10");
    expect(empty).toEqual({ range: "'Theo dõi'!D4:E5", majorDimension: "ROWS" });
    expect(columns).toMatchObject({ range: "'Theo dõi'!A1:B20", values: [["a"], [], ["", "x"]] });
    expect(brien).toMatchObject({ range: "'O''Brien'!A1", values: [["1"]] });

    const bySheet1 = await sheets.spreadsheets.values.get({
      spreadsheetId: id,
      range: "'Theo dõi'!A1:C3",
      majorDimension: "COLUMNS",
    });
    expect(bySheet1.data.values).toEqual([["a"], ["", "", "x"], ["c"]]);

    const unknown = await failure(batchGet(id, ["'Nope'!A1"]));
    expect(unknown.status).toBe(400);
    expect(unknown.message).toBe("Unable to parse range: 'Nope'!A1");
    expect(server.requests.at(-1)?.query.getAll("ranges")).toEqual(["'Nope'!A1"]);
  });

  it("refuses to write beyond the grid until appendDimension makes room", async () => {
    const id = await newSpreadsheet(5, 3);
    const write = () =>
      sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          valueInputOption: "RAW",
          data: [{ range: "'Theo dõi'!A6", values: [["late", "row"]] }],
        },
      });
    const beyond = await failure(write());
    expect(beyond.status).toBe(400);
    expect(beyond.message).toBe("Range ('Theo dõi'!A6) exceeds grid limits. Max rows: 5, max columns: 3");
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ appendDimension: { sheetId: 0, dimension: "ROWS", length: 10 } }] },
    });
    await write();
    expect(server.values(id, "Theo dõi")[5]).toEqual(["late", "row"]);
    expect(server.spreadsheets.get(id)?.sheets[0]?.properties.gridProperties.rowCount).toBe(15);
  });

  it("applies a batchUpdate atomically: a bad second request leaves the first unapplied", async () => {
    const id = await newSpreadsheet();
    const bad = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            { addSheet: { properties: { title: "Mới" } } },
            { repeatCell: { range: { sheetId: 999 }, cell: {}, fields: "userEnteredFormat" } },
          ],
        },
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.message).toBe("Invalid requests[1].repeatCell: No grid with id: 999");
    expect(server.spreadsheets.get(id)?.sheets.map((s) => s.properties.title)).toEqual([
      "Theo dõi",
      "Cấu hình",
    ]);

    const outside = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            {
              mergeCells: {
                range: { sheetId: 0, startRowIndex: 0, endRowIndex: 21 },
                mergeType: "MERGE_ALL",
              },
            },
          ],
        },
      }),
    );
    expect(outside.message).toBe(
      "Invalid requests[0].mergeCells: Range ('Theo dõi'!A1:F21) exceeds grid limits. Max rows: 20, max columns: 6",
    );

    const unsupported = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: { requests: [{ autoResizeDimensions: {} }] },
      }),
    );
    expect(unsupported.message).toMatch(/^Invalid requests\[0\]\.autoResizeDimensions: /u);

    const values = await failure(
      sheets.spreadsheets.values.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          valueInputOption: "RAW",
          data: [
            { range: "'Theo dõi'!A1", values: [["kept out"]] },
            { range: "'Theo dõi'!A21", values: [["beyond"]] },
          ],
        },
      }),
    );
    expect(values.status).toBe(400);
    expect(server.values(id, "Theo dõi")).toEqual([]);
  });

  it("addSheet uses a given sheetId and refuses a duplicate title or id", async () => {
    const id = await newSpreadsheet();
    const { data } = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { addSheet: { properties: { sheetId: 4242, title: "Nhật ký", gridProperties: { rowCount: 10 } } } },
          {
            updateSheetProperties: {
              properties: { sheetId: 4242, gridProperties: { frozenRowCount: 1 } },
              fields: "gridProperties.frozenRowCount",
            },
          },
        ],
      },
    });
    expect(data.replies).toEqual([
      { addSheet: { properties: expect.objectContaining({ sheetId: 4242, title: "Nhật ký", index: 2 }) } },
      {},
    ]);
    expect(server.spreadsheets.get(id)?.sheets[2]?.properties.gridProperties).toEqual({
      rowCount: 10,
      columnCount: 26,
      frozenRowCount: 1,
    });
    const title = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: { requests: [{ addSheet: { properties: { title: "nhật ký" } } }] },
      }),
    );
    expect(title.message).toBe(
      'Invalid requests[0].addSheet: A sheet with the name "nhật ký" already exists. Please enter another name.',
    );
    const sheetId = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: { requests: [{ addSheet: { properties: { sheetId: 4242, title: "Khác" } } }] },
      }),
    );
    expect(sheetId.status).toBe(400);
  });

  it("moves, inserts and deletes dimensions with the cells, using Google's destinationIndex", async () => {
    const id = await newSpreadsheet();
    server.setValues(id, "'Theo dõi'!A1", [
      ["a", "b", "c", "d"],
      ["1", "2", "3", "4"],
    ]);
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          // Column A goes after C: destinationIndex counts columns before the move.
          {
            moveDimension: {
              source: { sheetId: 0, dimension: "COLUMNS", startIndex: 0, endIndex: 1 },
              destinationIndex: 3,
            },
          },
          { insertDimension: { range: { sheetId: 0, dimension: "ROWS", startIndex: 0, endIndex: 1 } } },
          { deleteDimension: { range: { sheetId: 0, dimension: "COLUMNS", startIndex: 3, endIndex: 4 } } },
        ],
      },
    });
    expect(server.values(id, "Theo dõi")).toEqual([[], ["b", "c", "a"], ["2", "3", "1"]]);
    expect(server.spreadsheets.get(id)?.sheets[0]?.properties.gridProperties).toMatchObject({
      rowCount: 21,
      columnCount: 5,
    });
  });

  it("drift helpers: moveColumn moves cells, deleteTab removes the tab", async () => {
    const id = await newSpreadsheet();
    server.setValues(id, "'Theo dõi'!A1", [["a", "b", "c", "d"]]);
    server.moveColumn(id, "Theo dõi", 0, 2);
    expect((await batchGet(id, ["'Theo dõi'!A1:D1"]))[0]?.values).toEqual([["b", "c", "a", "d"]]);
    server.moveColumn(id, "Theo dõi", 3, 0);
    expect(server.values(id, "Theo dõi")).toEqual([["d", "b", "c", "a"]]);

    server.deleteTab(id, "Theo dõi");
    const gone = await failure(batchGet(id, ["'Theo dõi'!A1"]));
    expect(gone.status).toBe(400);
    const { data } = await sheets.spreadsheets.get({ spreadsheetId: id });
    expect(data.sheets?.map((s) => [s.properties?.title, s.properties?.index])).toEqual([["Cấu hình", 0]]);
  });

  it("keeps protected ranges, conditional formats, validations, formats and charts", async () => {
    const id = await newSpreadsheet();
    const range = { sheetId: 0, startRowIndex: 1, endRowIndex: 20, startColumnIndex: 0, endColumnIndex: 2 };
    const rule = { condition: { type: "ONE_OF_LIST", values: [{ userEnteredValue: "Đạt" }] }, strict: true };
    const { data } = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            addProtectedRange: { protectedRange: { range, description: "Cột hệ thống", warningOnly: true } },
          },
          {
            addConditionalFormatRule: {
              rule: { ranges: [range], booleanRule: { condition: { type: "BLANK" } } },
            },
          },
          {
            addConditionalFormatRule: {
              index: 0,
              rule: { ranges: [range], booleanRule: { condition: { type: "NOT_BLANK" } } },
            },
          },
          { setDataValidation: { range, rule } },
          { setDataValidation: { range, rule: { ...rule, strict: false } } },
          {
            repeatCell: {
              range,
              cell: { userEnteredFormat: { wrapStrategy: "WRAP" } },
              fields: "userEnteredFormat.wrapStrategy",
            },
          },
          {
            updateDimensionProperties: {
              range: { sheetId: 0, dimension: "COLUMNS", startIndex: 0, endIndex: 1 },
              properties: { pixelSize: 200 },
              fields: "pixelSize",
            },
          },
          {
            addChart: {
              chart: {
                spec: { title: "Tỷ lệ" },
                position: { overlayPosition: { anchorCell: { sheetId: 0, rowIndex: 2, columnIndex: 3 } } },
              },
            },
          },
        ],
      },
    });
    const protectedRangeId = data.replies?.[0]?.addProtectedRange?.protectedRange?.protectedRangeId;
    const chartId = data.replies?.[7]?.addChart?.chart?.chartId;
    expect(protectedRangeId).toEqual(expect.any(Number));
    expect(chartId).toEqual(expect.any(Number));
    const tab = server.spreadsheets.get(id)?.sheets[0];
    expect(
      tab?.conditionalFormats.map((r) => (r.booleanRule as { condition: { type: string } }).condition.type),
    ).toEqual(["NOT_BLANK", "BLANK"]);
    expect(tab?.dataValidations).toEqual([{ range, rule: { ...rule, strict: false } }]);
    expect(tab?.formats.map((f) => Object.keys(f))).toEqual([["repeatCell"]]);
    expect(tab?.dimensions[0]).toMatchObject({
      updateDimensionProperties: { properties: { pixelSize: 200 } },
    });

    const got = await sheets.spreadsheets.get({ spreadsheetId: id });
    expect(got.data.sheets?.[0]?.protectedRanges?.[0]).toMatchObject({
      protectedRangeId,
      description: "Cột hệ thống",
    });
    expect(got.data.sheets?.[0]?.charts?.[0]?.chartId).toBe(chartId);

    const deleted = await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { deleteProtectedRange: { protectedRangeId } },
          { deleteConditionalFormatRule: { sheetId: 0, index: 1 } },
          { deleteEmbeddedObject: { objectId: chartId } },
        ],
      },
    });
    expect(deleted.data.replies?.[1]?.deleteConditionalFormatRule?.rule?.booleanRule?.condition?.type).toBe(
      "BLANK",
    );
    const after = server.spreadsheets.get(id)?.sheets[0];
    expect([after?.protectedRanges.length, after?.conditionalFormats.length, after?.charts.length]).toEqual([
      0, 1, 0,
    ]);
  });

  it("keeps one basic filter per sheet: set replaces it, clear removes it, and get returns it", async () => {
    const id = await newSpreadsheet();
    const set = (range: sheets_v4.Schema$GridRange) => ({ setBasicFilter: { filter: { range } } });
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          set({ sheetId: 0, startRowIndex: 0, endRowIndex: 5, startColumnIndex: 0, endColumnIndex: 2 }),
          set({ sheetId: 0, startRowIndex: 0, startColumnIndex: 0, endColumnIndex: 6 }),
        ],
      },
    });
    const got = await sheets.spreadsheets.get({ spreadsheetId: id });
    expect(got.data.sheets?.[0]?.basicFilter).toEqual({
      range: { sheetId: 0, startRowIndex: 0, startColumnIndex: 0, endColumnIndex: 6 },
    });
    expect(got.data.sheets?.[1]?.basicFilter).toBeUndefined();
    // A filter must lie within the grid, and have a range.
    const outside = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: { requests: [set({ sheetId: 0, startColumnIndex: 0, endColumnIndex: 7 })] },
      }),
    );
    expect(outside.status).toBe(400);
    const rangeless = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: { requests: [{ setBasicFilter: { filter: {} } }] },
      }),
    );
    expect(rangeless.status).toBe(400);
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ clearBasicFilter: { sheetId: 0 } }] },
    });
    expect(server.spreadsheets.get(id)?.sheets[0]?.basicFilter).toBeUndefined();
  });

  it("failNext answers Google-shaped errors; googleapis retries GETs but not POSTs", async () => {
    const id = await newSpreadsheet();
    server.failNext(2, 429);
    for (let i = 0; i < 2; i++) {
      const e = await failure(sheets.spreadsheets.get({ spreadsheetId: id }, { retry: false }));
      expect(e.status).toBe(429);
      expect(e.response?.data).toEqual({
        error: { code: 429, message: "injected failure", status: "RESOURCE_EXHAUSTED" },
      });
    }
    expect((await sheets.spreadsheets.get({ spreadsheetId: id }, { retry: false })).status).toBe(200);

    server.failNext(1, 503);
    const before = server.requests.length;
    expect((await sheets.spreadsheets.values.get({ spreadsheetId: id, range: "'Theo dõi'!A1" })).status).toBe(
      200,
    );
    expect(server.requests.length - before).toBe(2);

    server.failNext(1, 503);
    const post = await failure(
      sheets.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: { requests: [{ appendDimension: { sheetId: 0, dimension: "ROWS", length: 1 } }] },
      }),
    );
    expect(post.response?.data).toMatchObject({ error: { status: "UNAVAILABLE" } });
    expect(server.spreadsheets.get(id)?.sheets[0]?.properties.gridProperties.rowCount).toBe(20);
  });

  it("records requests, and writes() keeps only the spreadsheet writes", async () => {
    const before = server.requests.length;
    const id = await newSpreadsheet(20, 20);
    await batchGet(id, ["'Theo dõi'!A1:B2"], { valueRenderOption: "UNFORMATTED_VALUE" });
    await sheets.spreadsheets.values.update({
      spreadsheetId: id,
      range: "'Theo dõi'!N5",
      valueInputOption: "USER_ENTERED",
      requestBody: { values: [["Không đạt", "ghi chú"]] },
    });
    const mine = server.requests.slice(before);
    expect(mine.map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /v4/spreadsheets",
      `GET /v4/spreadsheets/${id}/values:batchGet`,
      `PUT /v4/spreadsheets/${id}/values/${encodeURIComponent("'Theo dõi'!N5").replaceAll("'", "%27").replaceAll("!", "%21")}`,
    ]);
    expect(mine[1]?.query.get("valueRenderOption")).toBe("UNFORMATTED_VALUE");
    expect(mine[2]?.body).toEqual({ values: [["Không đạt", "ghi chú"]] });
    expect(server.writes().filter((w) => mine.includes(w))).toEqual([mine[0], mine[2]]);
    expect(server.values(id, "Theo dõi")[4]?.slice(13)).toEqual(["Không đạt", "ghi chú"]);
  });

  it("updates sheet and spreadsheet properties by field mask", async () => {
    const id = await newSpreadsheet();
    server.setValues(id, "'Theo dõi'!A1", [["keep"]]);
    server.setValues(id, "'Theo dõi'!A10", [["cut"]]);
    await sheets.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            updateSheetProperties: {
              properties: {
                sheetId: 0,
                title: "Theo dõi 2026",
                index: 1,
                gridProperties: { rowCount: 5, columnCount: 99 },
              },
              fields: "title,index,gridProperties(rowCount)",
            },
          },
          { updateSpreadsheetProperties: { properties: { title: "Mới", locale: "en_US" }, fields: "title" } },
        ],
      },
    });
    const doc = server.spreadsheets.get(id);
    expect(doc?.properties).toMatchObject({ title: "Mới", locale: "vi_VN" });
    expect(doc?.sheets.map((s) => s.properties.title)).toEqual(["Cấu hình", "Theo dõi 2026"]);
    expect(doc?.sheets[1]?.properties.gridProperties).toEqual({ rowCount: 5, columnCount: 6 });
    expect(server.values(id, "Theo dõi 2026")).toEqual([["keep"]]);
  });

  it("shares through Drive permissions.create", async () => {
    const id = await newSpreadsheet();
    const drive = driveApi({ version: "v3", auth: localAuth(), rootUrl: server.url });
    const { data } = await drive.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { type: "user", role: "writer", emailAddress: "pgd@example.edu.vn" },
    });
    expect(data).toMatchObject({
      kind: "drive#permission",
      type: "user",
      role: "writer",
      emailAddress: "pgd@example.edu.vn",
    });
    expect(server.spreadsheets.get(id)?.permissions).toEqual([data]);
    expect(server.writes().some((w) => w.path.startsWith("/drive"))).toBe(false);
  });
});
