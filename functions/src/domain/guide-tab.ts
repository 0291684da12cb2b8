import type { SheetLayout, TabKey } from "./sheet-layout.js";
import {
  SCHOOL_STATUS_LABELS,
  SCHOOL_STATUS_MEANINGS,
  SCHOOL_STATUSES,
  type SchoolStatus,
} from "./status.js";
import { columnsOf, tabBase, type WorkbookData } from "./workbook-data.js";
import type { Cell, TabModel } from "./workbook-model.js";

/**
 * Hướng dẫn: the clerk's guide, written by the system (nothing is read back): what each tab is for,
 * what each status means and what to do for it, what each choice the office makes does, where the
 * evidence is, what the schools are mailed and when, and the controls. A short section each, the
 * tabs named as the office's layout names them. docs/huong-dan-van-thu.md says the same at length.
 */

/** What the office does for a school of each status. */
export const STATUS_ACTIONS: Record<SchoolStatus, string> = {
  "chua-dang-ky": "Nhắc trường đăng ký (trang Đôn đốc có số điện thoại khi đã quá hạn).",
  "da-dang-ky": "Chờ hồ sơ tháng 11; nhắc trường khi gần hạn nộp hồ sơ.",
  "can-bo-sung":
    "Mở bản dự thảo ở cột “Báo cáo (PDF)”, xem “Còn thiếu”, chọn Duyệt ở “Phòng duyệt gửi” để gửi thông báo; trường bổ sung qua biểu mẫu hồ sơ. Bài chưa hợp lệ (không có bản dự thảo) thì trường đã được báo tự động cần gửi lại gì.",
  "khong-du-dieu-kien":
    "Xem lại sự việc trường tự khai (cột “Vụ việc đã báo cáo”, “Còn thiếu”); duyệt gửi kết quả. Trường không bổ sung được trong năm nay.",
  "cho-kiem-tra":
    "Lập lịch ở trang Lịch kiểm tra; khi kiểm tra, ghi Xác nhận hoặc Không xác nhận từng chỉ tiêu ở trang Kiểm tra.",
  dat: "Lập Tờ trình và dự thảo Quyết định (trang Điều khiển); khi có quyết định, ghi số và ngày ở trang Quyết định công nhận.",
  "khong-dat": "Trường nhận biên bản với lý do; không cần làm gì thêm, trừ khi đoàn kiểm tra lại.",
  "duoc-cong-nhan": "Xong: trường đã được gửi quyết định công nhận.",
};

type Line = [string, string];

const titleOf = (layout: SheetLayout, key: TabKey): string | undefined => layout.tabs[key]?.title;

/** Each tab the layout has, and what it is for. */
const tabLines = (layout: SheetLayout): Line[] => {
  const purposes: Array<[TabKey, string]> = [
    [
      "overview",
      "Tiến độ so với chỉ tiêu 100% theo cấp học và theo xã; ý nghĩa các tình trạng; lịch của đợt.",
    ],
    [
      "tracking",
      "Mỗi trường một dòng: tình trạng, điểm, nội dung còn thiếu, văn bản (PDF, Word), lúc gửi thư. Phòng ghi chú, duyệt gửi và nhập số văn bản tại đây.",
    ],
    [
      "schedule",
      "Phòng nhập đoàn, thành viên, ngày, giờ, địa điểm kiểm tra từng trường; đề nghị khen thưởng.",
    ],
    [
      "inspection",
      "Mỗi chỉ tiêu của từng trường một dòng, bên cạnh câu trả lời và minh chứng: đoàn ghi kết quả.",
    ],
    ["decision", "Phòng nhập số và ngày ký quyết định công nhận của cấp có thẩm quyền."],
    ["narrative", "Phòng viết các phần của Báo cáo gửi Sở (triển khai, khó khăn, đề xuất)."],
    ["calendar", "Các mốc của đợt; phòng sửa ngày tại đây, biểu mẫu, nhắc hạn và văn bản theo đó."],
    ["extensions", "Gia hạn riêng cho một trường, có lý do."],
    ["chase", "Trường đã quá hạn mà chưa gửi, kèm hiệu trưởng và điện thoại để gọi."],
    ["registry", "Danh sách trường của phòng: mã, tên, cấp học, xã, loại hình, email."],
    ["criteria", "Bộ tiêu chí đang dùng (chỉ xem)."],
    ["log", "Các sự việc gần nhất: câu trả lời nhận được, thư đã gửi, lỗi."],
  ];
  return [
    ...purposes.flatMap(([key, text]): Line[] => {
      const title = titleOf(layout, key);
      return title ? [[title, text]] : [];
    }),
    ["Điều khiển", "Tạm dừng gửi thư cho các trường; yêu cầu lập các văn bản của phòng (xem mục 6)."],
  ];
};

const statusLines = (): Line[] =>
  SCHOOL_STATUSES.map((s) => [
    SCHOOL_STATUS_LABELS[s],
    `${SCHOOL_STATUS_MEANINGS[s]} Việc cần làm: ${STATUS_ACTIONS[s]}`,
  ]);

/** What each value the office types or chooses does. */
const choiceLines = (layout: SheetLayout): Line[] => {
  const tab = (key: TabKey, fallback: string) => titleOf(layout, key) ?? fallback;
  const inspection = tab("inspection", "Kiểm tra");
  const tracking = tab("tracking", "Theo dõi");
  return [
    [`${inspection}: Xác nhận`, "Đoàn kiểm tra xác nhận câu trả lời của trường ở chỉ tiêu này."],
    [
      `${inspection}: Không xác nhận`,
      "Ghi lý do ở cột bên cạnh (trường đọc lý do này). Một chỉ tiêu bắt buộc không xác nhận thì trường Không đạt; mọi chỉ tiêu bắt buộc được xác nhận thì Đạt. Kết luận kiểm tra là phòng duyệt Biên bản kiểm tra.",
    ],
    [
      `${tab("schedule", "Lịch kiểm tra")}: Đề nghị khen thưởng`,
      "Chọn Có: trường đạt được đưa vào danh sách đề nghị khen thưởng của Tờ trình. Khi có ngày, giờ, địa điểm, đoàn, trường nhận thư báo lịch kiểm tra.",
    ],
    [
      tab("extensions", "Gia hạn"),
      "Nhập mã trường, chọn hạn (đăng ký, nộp hồ sơ, bổ sung), ngày và lý do: biểu mẫu, nhắc hạn và thông báo của trường theo hạn mới.",
    ],
    [
      tab("decision", "Quyết định công nhận"),
      "Nhập số và ngày ký khi quyết định đã ký: các trường Đạt thành Được công nhận, mỗi trường nhận quyết định một lần. Ghi số quyết định là phòng duyệt gửi quyết định.",
    ],
    [
      tab("registry", "Danh sách trường"),
      "Thêm, sửa dòng trường; dòng sai được báo ở cột Kiểm tra dữ liệu. Email là địa chỉ trường phải dùng khi điền biểu mẫu.",
    ],
    [
      `${tracking}: Phòng duyệt gửi`,
      "Chọn Duyệt sau khi mở bản dự thảo ở cột “Báo cáo (PDF)”: chưa duyệt thì không văn bản chính thức nào gửi đến trường. Trường gửi câu trả lời mới thì ô này được xóa, cần duyệt lại.",
    ],
    [
      `${tracking}: Số văn bản`,
      "Nhập số đã vào sổ của Thông báo kết quả gửi trường khi đã ký (ví dụ 15); trước đó bản PDF ghi “BẢN CHỜ KÝ”. Muốn trường nhận bản có số, nhập số trước khi chọn Duyệt.",
    ],
    [`${tracking}: Ghi chú của phòng`, "Ghi chú làm việc của phòng, không gửi đến trường."],
  ];
};

const evidenceLines = (layout: SheetLayout): Line[] => [
  [
    `${titleOf(layout, "inspection") ?? "Kiểm tra"}: Minh chứng`,
    "Đường dẫn các tệp trường gửi, từng chỉ tiêu. Tệp tải lên nằm trong Google Drive của người tạo biểu mẫu; đường dẫn trường dán phải được chia sẻ quyền xem cho phòng.",
  ],
  [
    "Không mở được",
    "Liên hệ trường để chia sẻ lại, hoặc ghi Không xác nhận với lý do “không mở được minh chứng”.",
  ],
];

const mailLines = (): Line[] => [
  [
    "Khi trường gửi",
    "Ở lần gửi kế tiếp (30 phút một lần, 06:30–20:30), trường nhận thư tự động “Xác nhận đã nhận”: đã nhận, kết quả tự kiểm tra, còn thiếu gì. Đây không phải văn bản chính thức.",
  ],
  [
    "Văn bản chính thức",
    "Kết quả, thông báo bổ sung, biên bản, quyết định chỉ gửi sau khi phòng duyệt (Phòng duyệt gửi, kết luận kiểm tra, Quyết định công nhận).",
  ],
  ["Trang tình hình", "Mỗi thư có đường dẫn đến trang tình hình của trường."],
];

const controlLines = (): Line[] => [
  [
    "Tạm dừng gửi thư cho các trường",
    "Chọn Có: dừng mọi thư gửi các trường của đợt. Chọn Không để gửi lại bình thường.",
  ],
  [
    "Lập Kế hoạch triển khai, Lập Báo cáo gửi Sở, Lập Tờ trình đề nghị công nhận, Lập dự thảo Quyết định công nhận",
    "Chọn Lập ở ô Yêu cầu: lần gửi kế tiếp (30 phút một lần, 06:30–20:30) hệ thống lập văn bản và ghi đường dẫn ở ô Kết quả bên cạnh.",
  ],
];

/** The sections of the guide, each a heading and its lines. */
export const guideSections = (layout: SheetLayout): Array<{ title: string; lines: Line[] }> => [
  { title: "1. Các trang của bảng theo dõi", lines: tabLines(layout) },
  { title: "2. Tình trạng của trường và việc cần làm", lines: statusLines() },
  { title: "3. Các ô phòng nhập và lựa chọn", lines: choiceLines(layout) },
  { title: "4. Minh chứng của trường", lines: evidenceLines(layout) },
  { title: "5. Thư gửi các trường", lines: mailLines() },
  { title: "6. Điều khiển", lines: controlLines() },
];

export const guideTab = (data: WorkbookData): TabModel[] => {
  if (!data.layout.tabs.guide) return [];
  const columns = columnsOf(data.layout, "guide", data.communeLabel);
  const rows: Cell[][] = [];
  const boldRows: number[] = [];
  const row = (topic: string, text: string | null) =>
    columns.map((c): Cell => (c.field === "topic" ? topic : c.field === "text" ? text : null));
  for (const section of guideSections(data.layout)) {
    // Counting the header row: the section's heading in bold.
    boldRows.push(rows.length + 1);
    rows.push(row(section.title, null));
    rows.push(...section.lines.map(([topic, text]) => row(topic, text)));
  }
  return [{ ...tabBase(data.layout, "guide", columns), header: true, rows, headingRows: [0], boldRows }];
};
