import { DEADLINE_LABELS, defaultCalendar } from "./calendar.js";
import { levelsLabel } from "./levels.js";
import { overdueSchools } from "./overdue.js";
import { REMINDER_ASKS } from "./reminders.js";
import { compareSchools } from "./school.js";
import { formatDateVi } from "./time.js";
import { columnsOf, tabBase, type WorkbookData } from "./workbook-data.js";
import type { Cell, TabModel } from "./workbook-model.js";

/**
 * Đôn đốc, the chase list: each school past a deadline with nothing received (registration or
 * dossier, its own extension included), most overdue first, with its head's name and phone for a
 * call. What a school must supply after a notice is chased by email against the day its notice
 * printed, which the workbook does not hold: those schools are followed in Theo dõi.
 */
export const chaseTab = (data: WorkbookData): TabModel[] => {
  if (!data.layout.tabs.chase) return [];
  const today = data.today;
  const calendar = data.calendar ?? defaultCalendar(data.schoolYear);
  const columns = columnsOf(data.layout, "chase", data.communeLabel);
  // Without the day the workbook is made, nothing can be said overdue.
  const overdue = today
    ? overdueSchools({ ...data, calendar, today }).flatMap(({ school, missed }) =>
        missed.filter((r) => r.stage !== "fix").map((reminder) => ({ school, reminder })),
      )
    : [];
  overdue.sort((a, b) => a.reminder.daysLeft - b.reminder.daysLeft || compareSchools(a.school, b.school));
  const rows = overdue.map(({ school, reminder }) => {
    const values: Record<string, Cell> = {
      code: school.code,
      name: school.name,
      level: levelsLabel(school.levels),
      commune: school.commune,
      deadline: `${DEADLINE_LABELS[reminder.stage]} ${formatDateVi(reminder.due)}${reminder.extended ? " (đã gia hạn)" : ""}`,
      overdue: -reminder.daysLeft,
      lacking: REMINDER_ASKS[reminder.stage],
      head: school.head ?? null,
      phone: school.phone ?? null,
    };
    return columns.map((c) => values[c.field] ?? null);
  });
  return [{ ...tabBase(data.layout, "chase", columns), header: true, rows, headingRows: [0], boldRows: [] }];
};
