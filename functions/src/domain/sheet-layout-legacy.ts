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
    ? tracking.columns.map((c: { field?: unknown; choices?: unknown }) => {
        if (c?.field !== "verdict") return c;
        const { choices: _, ...rest } = c;
        return { ...rest, owner: "system" };
      })
    : tracking?.columns;
  return {
    ...(tabs as object),
    overview: { ...overview, columns },
    ...(tracking ? { tracking: { ...tracking, columns: trackingColumns } } : {}),
  };
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
