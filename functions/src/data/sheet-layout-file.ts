import { fileURLToPath } from "node:url";
import { type SheetLayout, sheetLayoutSchema } from "../domain/sheet-layout.js";
import { parseYamlData, readDataFile } from "./yaml-file.js";

/** The tracking workbook's layout shipped with dienhinh (top-level `sheets-config/`). */
export const DEFAULT_LAYOUT_FILE = fileURLToPath(
  new URL("../../../sheets-config/theo-doi.yaml", import.meta.url),
);

const WHAT = "Tệp bố cục bảng theo dõi";

export const parseSheetLayout = (text: string, file: string): SheetLayout =>
  parseYamlData(text, file, WHAT, sheetLayoutSchema);

export const loadSheetLayout = async (file: string = DEFAULT_LAYOUT_FILE): Promise<SheetLayout> =>
  parseSheetLayout(await readDataFile(file, WHAT), file);
