import type { sheets_v4 } from "googleapis/build/src/apis/sheets/index.js";
import type { CellFormat } from "../../domain/sheet-layout.js";
import type { SnapshotTab } from "../../domain/sheet-readback.js";
import type { TabModel, WorkbookModel } from "../../domain/tracking-workbook.js";

/**
 * The Sheets API requests that lay out one tab of the tracking workbook (see sheets-plan.ts, which
 * sends them only when the structure must change) and its chart. Pure.
 */

/** Runs of consecutive true flags, as [start, end). */
export const runsOf = (flags: readonly boolean[]): Array<[number, number]> => {
  const runs: Array<[number, number]> = [];
  flags.forEach((flag, i) => {
    if (!flag) return;
    const last = runs.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1]);
  });
  return runs;
};

const rgb = (hex: string): sheets_v4.Schema$Color => ({
  red: Number.parseInt(hex.slice(1, 3), 16) / 255,
  green: Number.parseInt(hex.slice(3, 5), 16) / 255,
  blue: Number.parseInt(hex.slice(5, 7), 16) / 255,
});

const NUMBER_FORMAT_TYPES: Record<CellFormat, string> = {
  text: "TEXT",
  link: "TEXT",
  integer: "NUMBER",
  decimal: "NUMBER",
  percent: "PERCENT",
  date: "DATE",
  datetime: "DATE_TIME",
};

const numberFormat = (model: WorkbookModel, format: CellFormat): sheets_v4.Schema$NumberFormat => ({
  type: NUMBER_FORMAT_TYPES[format],
  pattern: format === "text" || format === "link" ? "@" : model.formats[format],
});

/** Where a tab is and what it holds, for the requests that lay it out. */
interface TabAt {
  tab: TabModel;
  model: WorkbookModel;
  sheetId: number;
  /** The first row of data (below the header, when the tab has one). */
  firstDataRow: number;
}

/**
 * Every request that lays out one tab: size, frozen panes, widths, formats, protections, dropdowns,
 * colours, and its filter. Not its print setup: the Sheets API stores none (orientation, paper and
 * scale are chosen in the print dialog), so only the .xlsx carries it.
 */
export const tabStructure = (
  tab: TabModel,
  model: WorkbookModel,
  sheetId: number,
  index: number,
  current: SnapshotTab | undefined,
  rowCount: number,
): sheets_v4.Schema$Request[] => {
  const at: TabAt = { tab, model, sheetId, firstDataRow: tab.header ? 1 : 0 };
  return [
    ...resetRequests(at, index, current, rowCount),
    ...tab.columns.flatMap((_, c) => columnRequests(at, c)),
    ...rowStyleRequests(at),
    ...protectionRequests(at),
    ...filterRequests(at),
  ];
};

/**
 * A table tab's filter over its header and every row below it (open-ended, so rows added later are
 * in it). Setting it replaces the tab's filter, so a repair lays it out afresh like the rest.
 */
const filterRequests = ({ tab, sheetId }: TabAt): sheets_v4.Schema$Request[] =>
  tab.header
    ? [
        {
          setBasicFilter: {
            filter: {
              range: { sheetId, startRowIndex: 0, startColumnIndex: 0, endColumnIndex: tab.columns.length },
            },
          },
        },
      ]
    : [];

/** The tab's properties, and everything laid out before removed, so it is laid out afresh. */
const resetRequests = (
  { tab, sheetId }: TabAt,
  index: number,
  current: SnapshotTab | undefined,
  rowCount: number,
): sheets_v4.Schema$Request[] => [
  {
    updateSheetProperties: {
      properties: {
        sheetId,
        title: tab.title,
        index,
        gridProperties: {
          rowCount,
          columnCount: Math.max(tab.columns.length, current?.columnCount ?? 0),
          frozenRowCount: tab.frozenRows,
          frozenColumnCount: tab.frozenColumns,
        },
        ...(tab.color ? { tabColor: rgb(tab.color) } : {}),
      },
      fields:
        "title,index,gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount)" +
        (tab.color ? ",tabColor" : ""),
    },
  },
  ...(current?.protectedRangeIds ?? []).map((protectedRangeId) => ({
    deleteProtectedRange: { protectedRangeId },
  })),
  ...Array.from({ length: current?.conditionalFormatCount ?? 0 }, () => ({
    deleteConditionalFormatRule: { sheetId, index: 0 },
  })),
  ...(current?.chartIds ?? []).map((objectId) => ({ deleteEmbeddedObject: { objectId } })),
  // Formats of the whole tab are reset, then set column by column.
  { repeatCell: { range: { sheetId }, cell: { userEnteredFormat: {} }, fields: "userEnteredFormat" } },
  { setDataValidation: { range: { sheetId } } },
];

/** One column: its width, its format, its dropdown and its colours by text. */
const columnRequests = (
  { tab, model, sheetId, firstDataRow }: TabAt,
  c: number,
): sheets_v4.Schema$Request[] => {
  const column = tab.columns[c] as TabModel["columns"][number];
  const cells = { sheetId, startColumnIndex: c, endColumnIndex: c + 1, startRowIndex: firstDataRow };
  const requests: sheets_v4.Schema$Request[] = [
    {
      updateDimensionProperties: {
        range: { sheetId, dimension: "COLUMNS", startIndex: c, endIndex: c + 1 },
        properties: { pixelSize: column.width },
        fields: "pixelSize",
      },
    },
    {
      repeatCell: {
        range: cells,
        cell: {
          userEnteredFormat: {
            numberFormat: numberFormat(model, column.format),
            wrapStrategy: column.wrap ? "WRAP" : "OVERFLOW_CELL",
            verticalAlignment: "TOP",
          },
        },
        fields: "userEnteredFormat(numberFormat,wrapStrategy,verticalAlignment)",
      },
    },
  ];
  if (column.choices)
    requests.push({
      setDataValidation: {
        range: cells,
        rule: {
          condition: {
            type: "ONE_OF_LIST",
            values: column.choices.map((userEnteredValue) => ({ userEnteredValue })),
          },
          strict: true,
          showCustomUi: true,
          inputMessage: `Chọn một trong: ${column.choices.join(", ")}`,
        },
      },
    });
  for (const [text, colour] of Object.entries(column.colors ?? {}))
    requests.push({
      addConditionalFormatRule: {
        index: 0,
        rule: {
          ranges: [cells],
          booleanRule: {
            condition: { type: "TEXT_EQ", values: [{ userEnteredValue: text }] },
            format: { backgroundColor: rgb(colour) },
          },
        },
      },
    });
  return requests;
};

/** Heading rows in the header colours, and bold rows (totals). */
const rowStyleRequests = ({ tab, model, sheetId }: TabAt): sheets_v4.Schema$Request[] => [
  ...tab.headingRows.map((row) => ({
    repeatCell: {
      range: {
        sheetId,
        startRowIndex: row,
        endRowIndex: row + 1,
        startColumnIndex: 0,
        endColumnIndex: tab.columns.length,
      },
      cell: {
        userEnteredFormat: {
          backgroundColor: rgb(model.headerStyle.background),
          textFormat: { bold: true, foregroundColor: rgb(model.headerStyle.color) },
          wrapStrategy: "WRAP",
          verticalAlignment: "MIDDLE",
        },
      },
      fields: "userEnteredFormat(backgroundColor,textFormat,wrapStrategy,verticalAlignment)",
    },
  })),
  ...tab.boldRows.map((row) => ({
    repeatCell: {
      range: { sheetId, startRowIndex: row, endRowIndex: row + 1 },
      cell: { userEnteredFormat: { textFormat: { bold: true } } },
      fields: "userEnteredFormat.textFormat.bold",
    },
  })),
];

/** The system's cells protected (a tab the system writes wholly, or the header and system columns). */
const protectionRequests = ({ tab, model, sheetId }: TabAt): sheets_v4.Schema$Request[] => {
  const protection = {
    description: "Do hệ thống dienhinh ghi; sửa ở đây sẽ bị ghi đè",
    warningOnly: model.warningOnlyProtection,
  };
  const protect = (range: sheets_v4.Schema$GridRange) => ({
    addProtectedRange: { protectedRange: { ...protection, range } },
  });
  if (tab.columns.every((c) => c.owner === "system")) return [protect({ sheetId })];
  return [
    protect({ sheetId, startRowIndex: 0, endRowIndex: 1 }),
    ...runsOf(tab.columns.map((c) => c.owner === "system")).map(([from, to]) =>
      protect({ sheetId, startRowIndex: 1, startColumnIndex: from, endColumnIndex: to }),
    ),
  ];
};

export const chartRequest = (
  model: WorkbookModel,
  sheetId: number,
  anchorColumn: number,
): sheets_v4.Schema$Request => {
  const { chart } = model;
  const source = (column: number) => ({
    sourceRange: {
      sources: [
        {
          sheetId,
          startRowIndex: chart.headerRow,
          endRowIndex: chart.endRow,
          startColumnIndex: column,
          endColumnIndex: column + 1,
        },
      ],
    },
  });
  const [domain = 0, ...series] = chart.columns;
  return {
    addChart: {
      chart: {
        spec: {
          title: chart.title,
          basicChart: {
            chartType: "BAR",
            stackedType: "STACKED",
            legendPosition: "BOTTOM_LEGEND",
            headerCount: 1,
            axis: [
              { position: "BOTTOM_AXIS", title: "Số trường" },
              { position: "LEFT_AXIS", title: "Cấp học" },
            ],
            domains: [{ domain: source(domain) }],
            series: series.map((column) => ({ series: source(column), targetAxis: "BOTTOM_AXIS" })),
          },
        },
        position: { overlayPosition: { anchorCell: { sheetId, rowIndex: 0, columnIndex: anchorColumn } } },
      },
    },
  };
};
