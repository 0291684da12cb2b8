import type { SchoolResult } from "./campaign-score.js";
import {
  base,
  type DecisionDocument,
  type DocumentContext,
  type DocumentHeader,
  dateInWords,
  issuerName,
  numberLine,
  placeDateLine,
  type SchoolList,
} from "./documents.js";
import { levelsLabel } from "./levels.js";
import type { DecisionAuthority, OfficeProfile } from "./office.js";
import { communeLabelOf } from "./office.js";
import { compareSchools } from "./school.js";
import { formatNumberVi, upperFirst } from "./text.js";
import { wallClock } from "./time.js";

/**
 * The decision (Quyết định) the office drafts for the competent authority (its report to the
 * Department: report-document.ts).
 */

/** The schools of an appendix list, in the registry's order; with the day each was inspected when known. */
export const schoolListRows = (
  results: readonly SchoolResult[],
  inspectedOn?: (code: string) => string | undefined,
): SchoolList["rows"] =>
  [...results]
    .sort((a, b) => compareSchools(a.school, b.school))
    .map((r, i) => {
      const date = inspectedOn?.(r.school.code);
      return {
        index: i + 1,
        name: r.school.name,
        level: levelsLabel(r.school.levels),
        commune: r.school.commune,
        ...(date ? { date } : {}),
      };
    });

/** Six spaces the clerk writes the number or the day into by hand. */
const BLANK = "\u00a0".repeat(6);

/** The decision's header: the authority's own bodies and number; a draft has no number nor day yet. */
const decisionHeader = (
  ctx: DocumentContext,
  authority: DecisionAuthority,
  issued: { number: string; date: Date } | undefined,
): DocumentHeader => {
  const place = authority.place ?? ctx.office.place;
  const year = wallClock(ctx.date, ctx.timeZone).getUTCFullYear();
  return {
    parentBody: authority.parentBody?.toLocaleUpperCase("vi") ?? "",
    issuingBody: authority.body.toLocaleUpperCase("vi"),
    // A number below 10 gets its leading zero, as Decree 30 writes it.
    number: numberLine("quyet-dinh", authority.numberPrefix, issued?.number.trim().replace(/^(\d)$/u, "0$1")),
    placeDate: issued
      ? placeDateLine(place, issued.date, ctx.timeZone)
      : `${place}, ngày ${BLANK} tháng ${BLANK} năm ${year}`,
    ...(issued ? {} : { draft: true }),
  };
};

/**
 * "Trưởng phòng Giáo dục và Đào tạo" from the signer's authority ("KT. TRƯỞNG PHÒNG") and the
 * office's name ("Phòng Giáo dục và Đào tạo"): the head of the office, as Điều 3 names it.
 */
export const officeHeadName = (office: OfficeProfile): string => {
  const head = office.signer.authority.replace(/^(KT\.|TL\.|TUQ\.|Q\.)\s*/u, "").toLocaleLowerCase("vi");
  const name = issuerName(office);
  const lastWord = head.split(" ").at(-1) ?? "";
  const [first, ...rest] = name.split(" ");
  return upperFirst(
    first?.toLocaleLowerCase("vi") === lastWord ? `${head} ${rest.join(" ")}` : `${head} ${name}`,
  );
};

/**
 * Quyết định công nhận, drafted by the office for the competent authority: its header, number and
 * signer; its competence, then the legal bases, then the office's proposal (Tờ trình) as "Căn cứ";
 * Điều 1 recognises exactly the schools listed. A draft ("DỰ THẢO", no number, no day) until
 * `issued` records the number and date the authority gave it.
 */
export const decisionDocument = (
  ctx: DocumentContext,
  listed: readonly SchoolResult[],
  legalBasis: readonly string[],
  authority: DecisionAuthority,
  issued?: { number: string; date: Date },
): DecisionDocument => {
  const doc = base("quyet-dinh", ctx, `Về việc công nhận ${ctx.award} năm học ${ctx.schoolYear}`, [
    "Như Điều 3;",
    `${issuerName(ctx.office)};`,
    `Lưu: VT, ${ctx.office.numberPrefix}.`,
  ]);
  const header = decisionHeader(ctx, authority, issued);
  const issuer = issuerName(ctx.office);
  const year = wallClock(ctx.date, ctx.timeZone).getUTCFullYear();
  const on = issued ? dateInWords(issued.date, ctx.timeZone) : `ngày ${BLANK} tháng ${BLANK} năm ${year}`;
  return {
    ...doc,
    kind: "quyet-dinh",
    header,
    signature: {
      authority: authority.signer.authority,
      ...(authority.signer.title ? { title: authority.signer.title } : {}),
      name: authority.signer.name,
    },
    decider: authority.decider.toLocaleUpperCase("vi"),
    bases: [
      ...[...authority.competence, ...legalBasis].map((b) => `Căn cứ ${b};`),
      // The proposal's number and day are the clerk's to write: the office registers it elsewhere.
      `Xét đề nghị của ${issuer} tại Tờ trình số ……/TTr-${ctx.office.numberPrefix} ngày …… tháng …… năm ${year}.`,
    ],
    articles: [
      {
        label: "Điều 1.",
        text: `Công nhận ${formatNumberVi(listed.length)} trường đạt danh hiệu “${upperFirst(ctx.award)}” năm học ${ctx.schoolYear}, kỳ đánh giá ${ctx.period} (có danh sách kèm theo).`,
      },
      { label: "Điều 2.", text: "Quyết định này có hiệu lực kể từ ngày ký." },
      {
        label: "Điều 3.",
        text: `Chánh Văn phòng ${authority.name}, ${officeHeadName(ctx.office)}, Hiệu trưởng các trường có tên tại Điều 1 và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.`,
      },
    ],
    appendix: {
      label: "Phụ lục",
      title: `DANH SÁCH ${ctx.award.toLocaleUpperCase("vi")} NĂM HỌC ${ctx.schoolYear}`,
      reference: `(Kèm theo Quyết định ${header.number.replace("Số: ", "số ")} ${on} của ${authority.name})`,
      dated: false,
      communeHeader: communeLabelOf(ctx.office),
      rows: schoolListRows(listed),
    },
  };
};
