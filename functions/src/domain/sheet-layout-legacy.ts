/** Reading a layout file: YAML extensions dropped, and layouts saved before issue 13 brought up to date. */

/**
 * Overview columns of layouts saved before the school's path (issue 13) counted statuses that are
 * gone: each becomes the step that took its place, under that step's name.
 */
const LEGACY_OVERVIEW: Record<string, { field: string; header: string }> = {
  "dien-hinh": { field: "cho-kiem-tra", header: "Chờ kiểm tra" },
  "chua-dat": { field: "khong-du-dieu-kien", header: "Không đủ điều kiện" },
  "chua-nop": { field: "chua-dang-ky", header: "Chưa đăng ký" },
};

const withLegacyOverview = (tabs: unknown): unknown => {
  const { overview, tracking } = (tabs ?? {}) as Record<string, { columns?: unknown } | undefined>;
  if (!overview || !Array.isArray(overview.columns)) return tabs;
  const columns = overview.columns.map((c: { field?: unknown }) => {
    const legacy = typeof c?.field === "string" ? LEGACY_OVERVIEW[c.field] : undefined;
    return legacy ? { ...c, ...legacy } : c;
  });
  // The whole-school verdict the office typed in Theo dõi now shows the inspection's own verdict.
  const trackingColumns = Array.isArray(tracking?.columns)
    ? withApprovalColumns(
        tracking.columns.map((c: { field?: unknown; choices?: unknown }) => {
          if (c?.field !== "verdict") return c;
          const { choices: _, ...rest } = c;
          return { ...rest, owner: "system" };
        }),
      )
    : tracking?.columns;
  return {
    ...(tabs as object),
    overview: { ...overview, columns },
    ...(tracking ? { tracking: { ...tracking, columns: trackingColumns } } : {}),
    // The office's controls (issue 16): a layout saved before them gets the shipped tab.
    control: (tabs as Record<string, unknown>).control ?? CONTROL_TAB,
  };
};

/**
 * Nothing official is mailed without the office's approval (issue 16): a layout saved before it
 * gets Theo dõi's approval and number columns as sheets-config/theo-doi.yaml has them, before the
 * office's note, so its documents can be approved at all.
 */
const APPROVAL_COLUMNS = [
  {
    field: "approve",
    header: "Phòng duyệt gửi",
    width: 120,
    owner: "office",
    choices: ["Duyệt"],
    colors: { Duyệt: "#B6D7A8" },
  },
  { field: "number", header: "Số văn bản", width: 100, owner: "office" },
];

const withApprovalColumns = (columns: Array<{ field?: unknown }>) => {
  const missing = APPROVAL_COLUMNS.filter((a) => !columns.some((c) => c?.field === a.field));
  if (missing.length === 0) return columns;
  const at = columns.findIndex((c) => c?.field === "note");
  return at < 0 ? [...columns, ...missing] : [...columns.slice(0, at), ...missing, ...columns.slice(at)];
};

/** The Điều khiển tab as sheets-config/theo-doi.yaml ships it. */
const CONTROL_TAB = {
  title: "Điều khiển",
  frozenRows: 1,
  color: "#CC0000",
  columns: [
    { field: "item", header: "Việc", width: 300 },
    {
      field: "value",
      header: "Yêu cầu",
      width: 110,
      owner: "office",
      choices: ["Có", "Không", "Lập"],
      colors: { Có: "#F4CCCC", Lập: "#FFF2CC" },
    },
    { field: "result", header: "Kết quả", width: 300, format: "link" },
    { field: "at", header: "Lần lập gần nhất", width: 140, format: "datetime" },
    { field: "note", header: "Cách dùng", width: 520, wrap: true },
  ],
};

/** Top-level keys starting with `x-` hold YAML anchors shared by several columns; they are dropped. */
export const withoutExtensions = (value: unknown) =>
  value && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !key.startsWith("x-"))
          .map(([key, v]) => [key, key === "tabs" ? withLegacyOverview(v) : v]),
      )
    : value;
