import { z } from "zod";
import { cleanText } from "./text.js";

/**
 * Vietnamese phone numbers as a school gives them: a mobile number (10 digits, 03, 05, 07, 08 or
 * 09 first: "0912 345 678") or a fixed line with its area code (11 digits, 02 first, since the
 * 2017 renumbering: "028 3873 1234" in Ho Chi Minh City). Spaces, dots, dashes and brackets are
 * dropped, and +84 or 84 becomes 0. A number a spreadsheet stored as a number has lost its leading
 * 0 ("912345678"): it is put back. The number is kept in one form, grouped for reading, so the
 * same number typed two ways is the same.
 */

const MOBILE = /^0[35789]\d{8}$/u;
const FIXED = /^02\d{9}$/u;

/** The digits of a number as typed, in national form (0 first), or undefined when it is not one. */
const nationalDigits = (typed: string): string | undefined => {
  const cleaned = cleanText(typed);
  if (!/^\+?[\d\s.()-]+$/u.test(cleaned)) return undefined;
  let digits = cleaned.replace(/\D/gu, "");
  if (cleaned.startsWith("+84") || (digits.startsWith("84") && digits.length >= 11))
    digits = `0${digits.slice(2)}`;
  // A spreadsheet's number has no leading 0.
  if (/^[35789]\d{8}$/u.test(digits) || /^2\d{9}$/u.test(digits)) digits = `0${digits}`;
  return digits;
};

/**
 * "0912 345 678" for a mobile number; a fixed line with its area code apart: "028 3873 1234" in
 * Ho Chi Minh City and Hà Nội (024), whose codes have two digits, "0251 3822 123" elsewhere.
 * Undefined when it is neither.
 */
export const normalisePhone = (typed: string): string | undefined => {
  const digits = nationalDigits(typed);
  if (digits === undefined) return undefined;
  if (MOBILE.test(digits)) return `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`;
  if (!FIXED.test(digits)) return undefined;
  const area = /^02[48]/u.test(digits) ? 3 : 4;
  return `${digits.slice(0, area)} ${digits.slice(area, area + 4)} ${digits.slice(area + 4)}`;
};

/** A phone number as typed, checked and kept as normalisePhone gives it; a Vietnamese message when it is not one. */
export const vietnamesePhoneSchema = z.string().transform((typed, ctx): string => {
  const phone = normalisePhone(typed);
  if (phone) return phone;
  ctx.addIssue({
    code: "custom",
    message: `số điện thoại không hợp lệ: "${cleanText(typed)}"; dùng số di động 10 chữ số (ví dụ 0912 345 678) hoặc số cố định 11 chữ số có mã vùng (ví dụ 028 3873 1234)`,
  });
  return z.NEVER;
});
