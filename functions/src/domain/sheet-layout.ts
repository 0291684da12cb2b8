import { z } from "zod";
import { withoutExtensions } from "./sheet-layout-legacy.js";
import { TAB_FIELDS, TAB_KEYS, type TabKey } from "./sheet-tabs.js";
import { cleanText } from "./text.js";

export { TAB_FIELDS, TAB_IDS, TAB_KEYS, type TabKey } from "./sheet-tabs.js";

/**
 * The layout of the office's tracking workbook (bảng theo dõi), as configured in `sheets-config/`:
 * tabs, their columns (Vietnamese header, width, format), frozen rows, colours by value, dropdowns,
 * and who owns each column. The same layout drives the Google Sheet and the .xlsx workbook.
 *
 * What a column shows is fixed by its `field` (a closed list per tab, below); everything a person
 * sees of it is configuration.
 */

export type FieldOf<T extends TabKey> = keyof (typeof TAB_FIELDS)[T] & string;

/** The office's time zone unless its layout says otherwise (Ho Chi Minh City). */
export const DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh";

export const CELL_FORMATS = ["text", "integer", "decimal", "percent", "date", "datetime", "link"] as const;
export type CellFormat = (typeof CELL_FORMATS)[number];

const text = z.string().transform(cleanText).pipe(z.string().min(1, "không được để trống"));
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/u, "màu dạng #RRGGBB, ví dụ #D9EAD3");

const columnSchema = z.strictObject({
  field: z.string(),
  /**
   * Header text (for `criteria`, a pattern: {id} is the criterion's number, {points} its points).
   * {commune} is what the office calls its communes ("Xã/Thị trấn"), {communeLower} the same in lower case.
   */
  header: text,
  /** Width in pixels (Google Sheets); the .xlsx converts it to characters. */
  width: z.number().int().min(20).max(1000).default(120),
  format: z.enum(CELL_FORMATS).default("text"),
  /** Who writes the column: the system (protected) or the office (read back, never overwritten). */
  owner: z.enum(["system", "office"]).default("system"),
  /** A dropdown of allowed values (office columns). */
  choices: z.array(text).min(1).optional(),
  /** Background colour of a cell by its exact text, e.g. Đạt → green. */
  colors: z.record(z.string(), colour).optional(),
  wrap: z.boolean().default(false),
});
export type ColumnLayout = z.output<typeof columnSchema>;

const tabSchema = z.strictObject({
  title: text.pipe(
    z
      .string()
      .max(100)
      .regex(/^[^'[\]*?:/\\]+$/u, "tên trang không được có ' [ ] * ? : / \\"),
  ),
  frozenRows: z.number().int().min(0).max(10).default(1),
  frozenColumns: z.number().int().min(0).max(10).default(0),
  /** Tab colour. */
  color: colour.optional(),
  /** How the tab prints on A4, fitted to the page width; without it, landscape when wider than a portrait page. */
  print: z
    .strictObject({
      orientation: z.enum(["landscape", "portrait"], {
        error: "hướng in là landscape (khổ ngang) hoặc portrait (khổ dọc)",
      }),
    })
    .optional(),
  columns: z.array(columnSchema).min(1),
});

const layoutSchemaBase = z.strictObject({
  /** Spreadsheet title; {place} and {schoolYear} are filled in. */
  title: text,
  locale: z.string().default("vi_VN"),
  timeZone: z.string().default(DEFAULT_TIME_ZONE),
  /** Number formats (Google Sheets / Excel pattern syntax); the locale decides separators. */
  formats: z.strictObject({
    integer: z.string().default("#,##0"),
    decimal: z.string().default("#,##0.0"),
    percent: z.string().default("0.0%"),
    date: z.string().default("dd/mm/yyyy"),
    datetime: z.string().default("dd/mm/yyyy hh:mm"),
  }),
  header: z.strictObject({ background: colour, color: colour }),
  /** Sheet protections only warn instead of refusing (for offices whose staff own the file). */
  warningOnlyProtection: z.boolean().default(false),
  tabs: z.strictObject({
    overview: tabSchema.extend({
      /** The chart of status by level. */
      chartTitle: text,
    }),
    // Optional: a layout saved before the office's controls (issue 16) has none.
    control: tabSchema.optional(),
    tracking: tabSchema,
    // Optional: a layout saved before the inspection (issue 13) has no such tabs; the campaign
    // gets them with the shipped layout (`dienhinh setup --layout`).
    schedule: tabSchema.optional(),
    inspection: tabSchema.optional(),
    decision: tabSchema.optional(),
    narrative: tabSchema.optional(),
    // Optional likewise: a layout saved before the campaign calendar (issue 15) has none.
    calendar: tabSchema.optional(),
    extensions: tabSchema.optional(),
    chase: tabSchema.optional(),
    registry: tabSchema,
    criteria: tabSchema,
    log: tabSchema.extend({
      /** Newest events kept in the tab. */
      maxRows: z.number().int().min(10).max(5000).default(300),
    }),
    // Optional: a layout saved before the guide (issue 16) has none.
    guide: tabSchema.optional(),
  }),
});

type Column = z.output<typeof layoutSchemaBase>["tabs"]["overview"]["columns"][number];

/** What a person could get wrong in one column of a tab. */
const checkColumn = (
  ctx: z.RefinementCtx,
  at: Array<string | number>,
  fields: Record<string, string>,
  column: Column,
  seenFields: Set<string>,
  seenHeaders: Set<string>,
) => {
  const allowed = fields[column.field];
  if (!allowed) {
    ctx.addIssue({
      code: "custom",
      path: [...at, "field"],
      message: `trường "${column.field}" không có ở trang này; dùng một trong: ${Object.keys(fields).join(", ")}`,
    });
    return;
  }
  if (seenFields.has(column.field))
    ctx.addIssue({ code: "custom", path: [...at, "field"], message: `cột "${column.field}" bị lặp` });
  seenFields.add(column.field);
  if (seenHeaders.has(column.header))
    ctx.addIssue({
      code: "custom",
      path: [...at, "header"],
      message: `tiêu đề "${column.header}" bị lặp`,
    });
  seenHeaders.add(column.header);
  if (allowed !== "either" && column.owner !== allowed) {
    ctx.addIssue({
      code: "custom",
      path: [...at, "owner"],
      message:
        allowed === "office"
          ? `cột "${column.header}" do văn phòng nhập: owner phải là office`
          : `cột "${column.header}" do hệ thống ghi: owner phải là system`,
    });
  }
  if (column.field === "criteria" && !column.header.includes("{id}"))
    ctx.addIssue({
      code: "custom",
      path: [...at, "header"],
      message: "tiêu đề cột tiêu chí phải có {id} (số của tiêu chí), ví dụ TC{id} ({points}đ)",
    });
  if (column.choices && column.owner !== "office")
    ctx.addIssue({
      code: "custom",
      path: [...at, "choices"],
      message: "danh sách chọn chỉ dùng cho cột văn phòng nhập",
    });
};

/** The tracking workbook's layout, checked for what a person could get wrong. */
export const sheetLayoutSchema = z
  .preprocess(withoutExtensions, layoutSchemaBase)
  .superRefine((layout, ctx) => {
    const titles = new Set<string>();
    for (const key of TAB_KEYS) {
      const tab = layout.tabs[key];
      if (!tab) continue;
      const path = ["tabs", key];
      if (titles.has(tab.title)) {
        ctx.addIssue({
          code: "custom",
          path: [...path, "title"],
          message: `tên trang "${tab.title}" bị trùng`,
        });
      }
      titles.add(tab.title);
      const fields: Record<string, string> = TAB_FIELDS[key];
      const seenFields = new Set<string>();
      const seenHeaders = new Set<string>();
      for (const [i, column] of tab.columns.entries())
        checkColumn(ctx, [...path, "columns", i], fields, column, seenFields, seenHeaders);
      if (["tracking", "registry", "schedule", "inspection"].includes(key) && !seenFields.has("code"))
        ctx.addIssue({
          code: "custom",
          path: [...path, "columns"],
          message: "cần có cột mã trường (field: code)",
        });
    }
    const registry = layout.tabs.registry.columns;
    const editable = registry.filter((c) => c.owner === "office").map((c) => c.field);
    const required = ["code", "name", "level", "commune", "ownership", "emails"];
    if (editable.length > 0 && required.some((f) => !registry.some((c) => c.field === f)))
      ctx.addIssue({
        code: "custom",
        path: ["tabs", "registry", "columns"],
        message: `trang danh sách do văn phòng sửa phải có đủ các cột: ${required.join(", ")}`,
      });
    const finding = layout.tabs.inspection?.columns.find((c) => c.field === "finding");
    if (finding && !finding.choices)
      ctx.addIssue({
        code: "custom",
        path: ["tabs", "inspection", "columns"],
        message: "cột kết quả kiểm tra cần danh sách chọn (choices): Xác nhận, Không xác nhận",
      });
    const needed: Array<[TabKey, string[]]> = [
      ["inspection", ["indicator", "finding", "reason"]],
      ["schedule", ["date", "place", "team"]],
      ["decision", ["number", "date"]],
      ["narrative", ["part", "text"]],
      ["control", ["item", "value"]],
      ["calendar", ["item", "from", "to"]],
      ["extensions", ["code", "deadline", "until", "reason"]],
    ];
    for (const [key, fields] of needed) {
      const tab = layout.tabs[key];
      const missing = fields.filter((f) => !tab?.columns.some((c) => c.field === f));
      if (tab && missing.length > 0)
        ctx.addIssue({
          code: "custom",
          path: ["tabs", key, "columns"],
          message: `trang "${tab.title}" cần có các cột: ${missing.join(", ")}`,
        });
    }
  });
export type SheetLayout = z.output<typeof sheetLayoutSchema>;
