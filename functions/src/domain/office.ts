import { z } from "zod";
import { cleanText, foldKey } from "./text.js";

const text = z.string().transform(cleanText).pipe(z.string().min(1, "không được để trống"));

/**
 * The competent authority that decides recognition (Circular 124/2021/TT-BCA gives it to the
 * people's committee, on the proposal of the bodies that assessed the schools): the office drafts
 * its Quyết định, printed under the authority's own header, number prefix and signer.
 */
export const decisionAuthoritySchema = z.strictObject({
  /** Its parent body, upper case, when its header shows one: "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH". */
  parentBody: text.optional(),
  /** The body issuing the decision, upper case: "ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ". */
  body: text,
  /** The same name in a sentence: "Ủy ban nhân dân huyện Nhà Bè". */
  name: text,
  /** Suffix of its document numbers: "Số: 123/QĐ-UBND" has prefix "UBND". */
  numberPrefix: z
    .string()
    .transform(cleanText)
    .pipe(z.string().regex(/^[\p{L}\p{N}-]+$/u, "chỉ gồm chữ, số hoặc gạch ngang, ví dụ UBND")),
  /** The line under QUYẾT ĐỊNH: "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ". */
  decider: text,
  signer: z.strictObject({
    /** "CHỦ TỊCH", or "KT. CHỦ TỊCH" when a vice-chair signs on the chair's behalf. */
    authority: text,
    /** The signer's own title when it differs: "PHÓ CHỦ TỊCH". */
    title: text.optional(),
    name: text,
  }),
  /** The laws giving it competence, printed first among the "Căn cứ" lines. */
  competence: z.array(text).min(1, "cần ít nhất một văn bản quy định thẩm quyền"),
  /** The place in its dated line; the office's place when absent. */
  place: text.optional(),
});
export type DecisionAuthority = z.output<typeof decisionAuthoritySchema>;

/**
 * The office that runs a campaign and signs its documents. All of it is configuration: the seed's
 * district (huyện Nhà Bè) was merged into two communes in 2025, and a city-wide deployment serves
 * many offices.
 */
export const officeProfileSchema = z.strictObject({
  /** Cơ quan chủ quản, e.g. "ỦY BAN NHÂN DÂN HUYỆN NHÀ BÈ" (printed upper case, regular). */
  parentBody: text,
  /** Cơ quan ban hành, e.g. "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" (printed upper case, bold). */
  issuingBody: text,
  /**
   * The same two names as they read in a sentence ("Phòng Giáo dục và Đào tạo", "Ủy ban nhân dân
   * huyện Nhà Bè"): capitals cannot be guessed from the upper-case forms.
   */
  issuingBodyName: text,
  parentBodyName: text,
  /** Suffix of document numbers: "Số: 05/BC-GDĐT" has prefix "GDĐT". */
  numberPrefix: z
    .string()
    .transform(cleanText)
    .pipe(z.string().regex(/^[\p{L}\p{N}-]+$/u, "chỉ gồm chữ, số hoặc gạch ngang, ví dụ GDĐT")),
  /** The place in the dated line: "Nhà Bè, ngày 09 tháng 11 năm 2026". */
  place: text,
  signer: z.strictObject({
    /** "TRƯỞNG PHÒNG", or "KT. TRƯỞNG PHÒNG" when a deputy signs on the head's behalf. */
    authority: text,
    /** The signer's own title when it differs from the authority: "PHÓ TRƯỞNG PHÒNG". */
    title: text.optional(),
    name: text,
  }),
  /** The superior body reports go to, e.g. "Sở Giáo dục và Đào tạo Thành phố Hồ Chí Minh". */
  superiorBody: text,
  /** The office's own contact email (sender and copy of reports). */
  email: z.email(),
  /**
   * The office's leader, mailed at once of each incident a school reports (the incident form);
   * absent: the office's own email gets the alert.
   */
  leader: z.strictObject({ name: text, email: z.email() }).optional(),
  /**
   * What the office's communes are called in its tables: "Xã/Thị trấn" for huyện Nhà Bè (a thị
   * trấn and no phường). Absent: "Xã/Phường". It heads the commune column of the tracking workbook.
   */
  communeLabel: text.optional(),
  /** Who decides recognition; absent in profiles written before it existed (then no draft decision). */
  authority: decisionAuthoritySchema.optional(),
  /** Marks a profile as example data, so nothing official is sent by mistake. */
  sample: z.boolean().default(false),
});
export type OfficeProfile = z.output<typeof officeProfileSchema>;

/** Who gets the alert of an incident report: the leader when the profile names one, else the office. */
export const incidentAlertTo = (office: Pick<OfficeProfile, "leader" | "email">): string =>
  office.leader?.email ?? office.email;

/** The commune column's header when the office profile does not say. */
export const DEFAULT_COMMUNE_LABEL = "Xã/Phường";

/** What the office's communes are called in its tables ("Xã/Phường" unless the profile says). */
export const communeLabelOf = (office: Pick<OfficeProfile, "communeLabel">): string =>
  office.communeLabel ?? DEFAULT_COMMUNE_LABEL;

/** "Toàn huyện", "Toàn xã", "Toàn phường" from the office's parent body; "Toàn đơn vị" otherwise. */
export const wholeOfficeLabel = (parentBodyName: string): string => {
  const unit = /^Ủy ban nhân dân (huyện|xã|phường|thị xã|thị trấn|quận|thành phố)\s/iu.exec(
    parentBodyName,
  )?.[1];
  return unit ? `Toàn ${unit.toLocaleLowerCase("vi")}` : "Toàn đơn vị";
};

/**
 * Whether two profiles are the same office: the same contact email, or the same full name (its
 * issuing body under its parent body). Either may change alone (a new mailbox, a renamed district)
 * and the office is still the one that owns its campaign; a campaign whose office shares neither
 * is another office's, and onboarding must not overwrite it.
 */
export const sameOffice = (
  a: Pick<OfficeProfile, "email" | "issuingBodyName" | "parentBodyName">,
  b: Pick<OfficeProfile, "email" | "issuingBodyName" | "parentBodyName">,
): boolean =>
  a.email.toLowerCase() === b.email.toLowerCase() ||
  (foldKey(a.issuingBodyName) === foldKey(b.issuingBodyName) &&
    foldKey(a.parentBodyName) === foldKey(b.parentBodyName));

/** The office's full name in a sentence: "Phòng Giáo dục và Đào tạo (Ủy ban nhân dân quận 7)". */
export const officeFullName = (office: Pick<OfficeProfile, "issuingBodyName" | "parentBodyName">): string =>
  `${office.issuingBodyName} (${office.parentBodyName})`;
