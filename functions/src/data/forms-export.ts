import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { FormResponse, formResponseSchema } from "../domain/intake.js";
import { foldKey } from "../domain/text.js";
import { DataFileError, zodIssues } from "./errors.js";

/**
 * Responses saved from Google Forms, for backfill: either a `forms.responses.list` reply (JSON)
 * or the CSV that "Tải xuống câu trả lời (.csv)" / "Download responses (.csv)" gives.
 */

const WHAT = "Tệp câu trả lời";

const listReplySchema = z.preprocess(
  (v) => (Array.isArray(v) ? { responses: v } : v),
  z.object({ responses: z.array(z.unknown()).default([]), nextPageToken: z.string().optional() }),
);

/** A saved `forms.responses.list` reply (or a plain array of `FormResponse`). */
export const parseResponsesJson = (text: string, file: string): unknown[] => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(file, WHAT, [
      { path: "", message: `không phải JSON hợp lệ (${(error as Error).message})` },
    ]);
  }
  const result = listReplySchema.safeParse(json);
  if (!result.success) throw new DataFileError(file, WHAT, zodIssues(result.error));
  // Each response is checked by intake, not here: a bad one is quarantined, never dropped.
  return result.data.responses;
};

const TIMESTAMP_HEADERS = ["dau thoi gian", "timestamp"];
const EMAIL_HEADERS = ["dia chi email", "email address", "email", "dia chi email (email address)"];

/**
 * A Forms CSV export. It has no response ids, so each row gets a stable one from its timestamp,
 * email and answers: importing the same file twice gives the same ids, and changes nothing.
 */
export const parseResponsesCsv = (
  text: string,
  file: string,
  options: { formId?: string; utcOffset?: string } = {},
): FormResponse[] => {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new DataFileError(file, WHAT, [
      { path: "", message: `lỗi định dạng CSV: ${(error as Error).message}` },
    ]);
  }
  const [header, ...body] = rows;
  if (!header) throw new DataFileError(file, WHAT, [{ path: "", message: "tệp không có dòng tiêu đề" }]);
  const folded = header.map(foldKey);
  const timeColumn = folded.findIndex((h) => TIMESTAMP_HEADERS.includes(h));
  const emailColumn = folded.findIndex((h) => EMAIL_HEADERS.includes(h));
  if (timeColumn < 0) {
    throw new DataFileError(file, WHAT, [
      {
        path: "",
        line: 1,
        message: 'không có cột "Dấu thời gian" (Timestamp): đây không phải tệp CSV tải từ Google Biểu mẫu',
      },
    ]);
  }
  const dayFirst = folded[timeColumn] === "dau thoi gian";
  return body.map((row, i) => {
    const stamp = row[timeColumn] ?? "";
    const time = parseFormsTimestamp(stamp, { dayFirst, utcOffset: options.utcOffset ?? "+07:00" });
    if (!time) {
      throw new DataFileError(file, WHAT, [
        { path: `dòng ${i + 2}`, message: `không đọc được thời gian "${stamp}"` },
      ]);
    }
    const email = emailColumn >= 0 ? (row[emailColumn] ?? "").trim() : "";
    const titledAnswers = header
      .map((title, c) => ({ title, value: row[c] ?? "" }))
      .filter((_, c) => c !== timeColumn && c !== emailColumn)
      .filter((a) => a.value.trim() !== "")
      .map((a) => ({ title: a.title, textAnswers: { answers: [{ value: a.value }] } }));
    const responseId = `csv-${createHash("sha256").update(JSON.stringify(row)).digest("hex").slice(0, 24)}`;
    return {
      ...(options.formId ? { formId: options.formId } : {}),
      responseId,
      lastSubmittedTime: time,
      ...(email ? { respondentEmail: email } : {}),
      titledAnswers,
    } satisfies z.input<typeof formResponseSchema>;
  });
};

/**
 * Timestamps as Forms and Sheets write them: "2026/11/05 8:30:00 SA GMT+7" (Forms download),
 * "05/11/2026 8:30:00" (Vietnamese locale), "11/5/2026 8:30:00" (US locale), or RFC 3339.
 */
export const parseFormsTimestamp = (
  text: string,
  options: { dayFirst: boolean; utcOffset: string },
): string | undefined => {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T/u.test(s)) {
    const ms = Date.parse(s);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const m =
    /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(AM|PM|SA|CH)?\s*(?:GMT|UTC)?\s*([+-]\d{1,2}(?::?\d{2})?)?$/iu.exec(
      s,
    );
  if (!m) return undefined;
  const [, a, b, c, hh, mm, ss, half, zone] = m;
  let year: number;
  let month: number;
  let day: number;
  if ((a ?? "").length === 4) [year, month, day] = [Number(a), Number(b), Number(c)];
  else if (options.dayFirst) [day, month, year] = [Number(a), Number(b), Number(c)];
  else [month, day, year] = [Number(a), Number(b), Number(c)];
  let hour = Number(hh);
  const meridiem = half?.toUpperCase();
  if ((meridiem === "PM" || meridiem === "CH") && hour < 12) hour += 12;
  if ((meridiem === "AM" || meridiem === "SA") && hour === 12) hour = 0;
  const offset = zone ? normaliseOffset(zone) : options.utcOffset;
  const second = Number(ss ?? "0");
  // Refuse what no clock shows (31/02, 24:00, a two-digit year) instead of letting Date roll it over.
  const real = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || real.getUTCMonth() !== month - 1 || real.getUTCDate() !== day) return undefined;
  if (hour > 23 || Number(mm) > 59 || second > 59) return undefined;
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const ms = Date.parse(
    `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${mm}:${pad(second)}${offset}`,
  );
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

const normaliseOffset = (zone: string): string => {
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/u.exec(zone) as RegExpExecArray;
  return `${m[1]}${(m[2] ?? "0").padStart(2, "0")}:${m[3] ?? "00"}`;
};
