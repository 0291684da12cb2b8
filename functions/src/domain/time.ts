/** Time-zone arithmetic for spreadsheets, which store local wall-clock times as day numbers. */

const formats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds a time zone is ahead of UTC at a given instant (+7 h for Asia/Ho_Chi_Minh). */
export const zoneOffset = (date: Date, timeZone: string): number => {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return local - Math.floor(date.getTime() / 1000) * 1000;
};

/** The instant whose UTC fields read as the wall-clock time in `timeZone` (for files without zones). */
export const wallClock = (date: Date, timeZone: string): Date =>
  new Date(date.getTime() + zoneOffset(date, timeZone));

/** The instant a wall-clock time (read from a file without zones) stands for in `timeZone`. */
export const fromWallClock = (wall: Date, timeZone: string): Date => {
  const guess = new Date(wall.getTime() - zoneOffset(wall, timeZone));
  return new Date(wall.getTime() - zoneOffset(guess, timeZone));
};

/** A date-time as a spreadsheet serial number (days since 30/12/1899) in the sheet's time zone. */
export const toSerial = (date: Date, timeZone: string): number =>
  wallClock(date, timeZone).getTime() / 86_400_000 + 25_569;

/** "29/11/2026 23:10" in the given time zone (Intl's vi-VN puts the time first). */
export const formatDateTimeVi = (date: Date, timeZone: string): string => {
  const d = wallClock(date, timeZone);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
};

/** A calendar day "2026-12-15" as "15/12/2026". */
export const formatDateVi = (day: string): string => day.split("-").reverse().join("/");

/** The day (YYYY-MM-DD) a moment falls on in a time zone. */
export const dayIn = (date: Date, timeZone: string): string =>
  wallClock(date, timeZone).toISOString().slice(0, 10);
