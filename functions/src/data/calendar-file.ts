import { type Calendar, calendarSchema } from "../domain/calendar.js";
import { parseYamlData, readDataFile } from "./yaml-file.js";

/**
 * The campaign calendar as the office writes it (YAML or JSON; YAML 1.2 keeps 2026-11-15 as text):
 * the registration and dossier windows, the deadline to supply what was asked, the inspection
 * period, the day the report to the Sở is due, and optionally the days before each deadline
 * schools are reminded. For example:
 *
 *   registration: { from: 2026-01-01, to: 2026-03-31 }
 *   dossier: { from: 2026-11-01, to: 2026-11-15 }
 *   fixBy: 2026-11-25
 *   inspection: { from: 2026-11-16, to: 2026-11-30 }
 *   reportDue: 2026-12-10
 *   reminderDays: [7, 3, 1]
 */
const WHAT = "Tệp lịch của đợt đánh giá";

export const parseCalendar = (text: string, file: string): Calendar =>
  parseYamlData(text, file, WHAT, calendarSchema);

export const loadCalendar = async (file: string): Promise<Calendar> =>
  parseCalendar(await readDataFile(file, WHAT), file);
