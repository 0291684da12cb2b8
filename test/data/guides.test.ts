import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSheetLayout } from "../../functions/src/data/sheet-layout-file.js";
import { defaultCalendar } from "../../functions/src/domain/calendar.js";
import { dayInWords } from "../../functions/src/domain/documents.js";
import { TAB_KEYS } from "../../functions/src/domain/sheet-tabs.js";
import { SCHOOL_STATUS_LABELS } from "../../functions/src/domain/status.js";

/**
 * The guides in Vietnamese (docs/): the clerk's, which says at length what the sheet's Hướng dẫn tab
 * says, and the schools'. Both exist, are linked from the README, are written with their accents
 * (composed, NFC), and cover what each reader must know.
 */
const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), "utf8");

let clerk: string;
let schools: string;
/** The same, each run of spaces and line breaks as one space: a phrase is found across a line break. */
let clerkText: string;
let schoolsText: string;
beforeAll(async () => {
  [clerk, schools] = await Promise.all([read("docs/huong-dan-van-thu.md"), read("docs/huong-dan-truong.md")]);
  [clerkText, schoolsText] = [clerk, schools].map((t) => t.replace(/\s+/gu, " ")) as [string, string];
});

/** Words of the guides' prose written without their accents: a slip a reader would stumble on. */
const UNACCENTED = /(?<![\w/.-])(cua|duoc|khong|truong|nhan|hoac|thoi gian|tieu chi|phai)(?![\w/.-])/iu;

describe("the guides in Vietnamese", () => {
  it("exist, linked from the README, in composed Unicode with their accents", async () => {
    const readme = await read("README.md");
    for (const [path, text] of [
      ["docs/huong-dan-van-thu.md", clerk],
      ["docs/huong-dan-truong.md", schools],
    ] as const) {
      expect(readme).toContain(`(${path})`);
      expect(text.normalize("NFC")).toBe(text);
      expect(text.length).toBeGreaterThan(3_000);
      const slip = text.split("\n").find((line) => UNACCENTED.test(line));
      expect(slip, path).toBeUndefined();
    }
  });

  it("tell the clerk every tab, every status and what to do, every choice, the evidence, the mail and the controls", async () => {
    const layout = await loadSheetLayout();
    for (const key of TAB_KEYS) {
      const title = layout.tabs[key]?.title;
      if (title) expect(clerk, key).toContain(`**${title}**`);
    }
    for (const label of Object.values(SCHOOL_STATUS_LABELS)) expect(clerk, label).toContain(`| **${label}**`);
    for (const part of [
      "Xác nhận",
      "Không xác nhận",
      "Đề nghị khen thưởng",
      "Phòng duyệt gửi",
      "Số văn bản",
      "BẢN CHỜ KÝ",
      "Xác nhận đã nhận",
      "Minh chứng",
      "Google Drive",
      "Tạm dừng gửi thư cho các trường",
      "Lập Kế hoạch triển khai",
      "Lập Báo cáo gửi Sở",
      "Lập Tờ trình đề nghị công nhận",
      "Lập dự thảo Quyết định công nhận",
      "ô Kết quả bên cạnh",
    ])
      expect(clerkText, part).toContain(part);
  });

  it("tell the schools which account to sign in with, how to give evidence, the timeline and what follows", () => {
    const calendar = defaultCalendar("2025-2026");
    // The timeline's usual days are the default calendar's.
    for (const day of [
      calendar.registration.from,
      calendar.registration.to,
      calendar.dossier.to,
      calendar.fixBy,
    ])
      expect(schoolsText, day).toContain(dayInWords(day).replace(/ năm \d+$/u, ""));
    for (const part of [
      "tài khoản Google",
      "địa chỉ thư điện tử của trường đã đăng ký với phòng",
      "chưa được tính",
      "Chia sẻ",
      "Tải tệp lên",
      "Xác nhận đã nhận",
      "không phải văn bản chính thức",
      "Kiểm tra thực tế",
      "Công an",
      "quyết định công nhận",
      "trang tình hình của trường",
      "biểu mẫu báo cáo vụ việc",
    ])
      expect(schoolsText, part).toContain(part);
  });
});
