import type { CriteriaSet } from "./criteria.js";
import type { InspectionReadBack } from "./inspection-readback.js";
import type { LogEvent } from "./log.js";
import type { School } from "./school.js";
import type { SchoolState } from "./school-state.js";
import type { SheetLayout, TabKey } from "./sheet-layout.js";
import type { Cell, ColumnModel, Delivery, RegistryRow } from "./workbook-model.js";

/** What the tracking workbook is built from, and the parts every tab builder shares. */

export interface WorkbookData {
  layout: SheetLayout;
  schoolYear: string;
  place: string;
  criteriaSet: CriteriaSet;
  schools: readonly School[];
  states: ReadonlyMap<string, SchoolState>;
  delivery?: ReadonlyMap<string, Delivery>;
  /** The registry tab as the office keeps it (absent: written from the registry, sorted). */
  registryRows?: readonly RegistryRow[];
  /** Rows of the tracking tab whose code the registry does not know, kept as they were. */
  strayTrackingRows?: readonly Cell[][];
  /** The office's cells of Theo dõi as typed, by school and field (they win over the stored review). */
  typedOffice?: ReadonlyMap<string, Readonly<Record<string, Cell>>>;
  /** What the inspection tabs hold as typed (their cells win over the stored inspection). */
  inspectionInput?: InspectionReadBack;
  events: readonly LogEvent[];
  /** When the data shown last changed (null: nothing received yet). */
  dataTime: Date | null;
}

export const columnsOf = (layout: SheetLayout, key: TabKey): ColumnModel[] => layout.tabs[key]?.columns ?? [];

export const tabBase = (layout: SheetLayout, key: TabKey) => {
  const tab = layout.tabs[key] ?? layout.tabs.log;
  return {
    key,
    title: tab.title,
    frozenRows: tab.frozenRows,
    frozenColumns: tab.frozenColumns,
    ...(tab.color ? { color: tab.color } : {}),
  };
};
