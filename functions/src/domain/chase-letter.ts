import { type Calendar, calendarDeadline, DEADLINE_LABELS, type Deadline } from "./calendar.js";
import {
  base,
  type ChaseLetterDocument,
  type DocumentContext,
  dateInWords,
  dateVi,
  dayInWords,
  issuerName,
  type OverdueList,
} from "./documents.js";
import { levelsLabel } from "./levels.js";
import { communeLabelOf } from "./office.js";
import type { OverdueSchool } from "./overdue.js";
import { formatDateVi } from "./time.js";

/**
 * Công văn đôn đốc: the office's letter to the schools past a deadline (registration, dossier, or
 * the Hạn bổ sung of a notice), listed in its appendix with what each has not done, for the head
 * to sign. The schools it gives days to are given them in the Gia hạn tab when it is issued (the
 * digest that carries the draft says so), which reopens their form. A công văn prints no kind: its subject ("V/v …") stands under its number, and its number
 * carries no kind abbreviation ("Số: 15/GDĐT").
 */
export const chaseLetterDocument = (
  ctx: DocumentContext,
  overdue: readonly OverdueSchool[],
  calendar: Calendar,
  options: { today: string; answerBy: Date },
): ChaseLetterDocument => {
  const issuer = issuerName(ctx.office);
  const subject = `V/v đôn đốc hoàn thành đăng ký, hồ sơ đề nghị công nhận ${ctx.award} năm học ${ctx.schoolYear}`;
  const doc = base("cong-van", ctx, subject, [
    "Như trên;",
    `${ctx.office.parentBodyName} (để báo cáo);`,
    `Lưu: VT, ${ctx.office.numberPrefix}.`,
  ]);
  const deadlines = (["registration", "dossier"] as const)
    .map(
      (d) =>
        `${DEADLINE_LABELS[d].toLocaleLowerCase("vi")} là ngày ${formatDateVi(calendarDeadline(calendar, d))}`,
    )
    .join(", ");
  return {
    ...doc,
    header: { ...doc.header, abstract: subject },
    kind: "cong-van",
    to: "Hiệu trưởng các trường có tên tại danh sách kèm theo",
    paragraphs: [
      `Thực hiện kế hoạch xây dựng, công nhận ${ctx.award} năm học ${ctx.schoolYear} (kỳ đánh giá ${ctx.period}), ${issuer} đã thông báo đến các trường lịch thực hiện: ${deadlines}; trường được đề nghị bổ sung hồ sơ hoàn thành trong thời hạn ghi tại thông báo của phòng.`,
      `Đến ${dayInWords(options.today)}, còn ${overdue.length} trường chưa hoàn thành đúng hạn (danh sách kèm theo).`,
      `Để bảo đảm chỉ tiêu 100% trường học được công nhận, ${issuer} đề nghị Hiệu trưởng các trường có tên trong danh sách:`,
    ],
    asks: [
      `Khẩn trương hoàn thành nội dung còn thiếu qua biểu mẫu trực tuyến của phòng (đường dẫn đã gửi đến hộp thư của trường), chậm nhất ngày ${dateVi(options.answerBy, ctx.timeZone)}; biểu mẫu được mở lại cho các trường có tên trong danh sách đến hết ngày này.`,
      `Trường hợp có khó khăn, vướng mắc, báo cáo về ${issuer} (địa chỉ thư điện tử ${ctx.office.email}) trước thời hạn trên để được hướng dẫn.`,
    ],
    closing: "Đề nghị Hiệu trưởng các trường quan tâm, khẩn trương triển khai thực hiện./.",
    appendix: overdueList(ctx, overdue, doc.header.number),
  };
};

/** What a school has not done, as the letter's list says it in a narrow column. */
const NOT_DONE: Record<Deadline, string> = {
  registration: "Chưa đăng ký",
  dossier: "Chưa nộp hồ sơ",
  fix: "Chưa bổ sung hồ sơ theo thông báo",
};

const overdueList = (
  ctx: DocumentContext,
  overdue: readonly OverdueSchool[],
  number: string,
): OverdueList => ({
  label: "Phụ lục",
  title: "DANH SÁCH CÁC TRƯỜNG CHƯA HOÀN THÀNH ĐÚNG HẠN",
  reference: `(Kèm theo Công văn ${number.replace("Số: ", "số ")} ${dateInWords(ctx.date, ctx.timeZone)} của ${issuerName(ctx.office)})`,
  communeHeader: communeLabelOf(ctx.office),
  rows: overdue.map(({ school, missed, daysOver }, i) => ({
    index: i + 1,
    name: school.name,
    level: levelsLabel(school.levels),
    commune: school.commune,
    lacking: missed.map((r) => NOT_DONE[r.stage]).join("; "),
    due: missed.map((r) => `${formatDateVi(r.due)}${r.extended ? " (đã gia hạn)" : ""}`).join("; "),
    daysOver: String(daysOver),
  })),
});
