import { Option } from "commander";
import { STAGES } from "../domain/criteria.js";

/**
 * Options that several commands take, each declared once: its flag, its help in Vietnamese and
 * English, and its default.
 */
/**
 * The campaign every command works on when none is named: the same for all (the local run's
 * included), so `run`, then `status-link` or `serve`, find the same campaign.
 */
export const DEFAULT_CAMPAIGN = "mac-dinh";

export const option = {
  /**
   * With the default (most commands work on one campaign), or without (`null`: the command must be
   * told which, as `push-secret` and `deliver`, whose mistakes would reach another campaign).
   */
  campaign: (fallback: string | null = DEFAULT_CAMPAIGN) => {
    const campaign = new Option("--campaign <id>", "mã đợt đánh giá / campaign id");
    return fallback === null ? campaign : campaign.default(fallback);
  },
  criteria: () => new Option("--criteria <file>", "bộ tiêu chí / criteria set (YAML or JSON)"),
  registry: () =>
    new Option("--registry <file>", "danh sách trường: .csv hoặc .xlsx / school registry (CSV or .xlsx)"),
  office: () => new Option("--office <file>", "thông tin cơ quan / office profile (YAML)"),
  calendar: () =>
    new Option(
      "--calendar <file>",
      "lịch của đợt: hạn đăng ký, nộp hồ sơ, bổ sung, kiểm tra, báo cáo (YAML; mặc định theo năm học) / " +
        "the campaign calendar (YAML; default: the school year's)",
    ),
  today: () =>
    new Option(
      "--today <yyyy-mm-dd>",
      "chạy như vào ngày đó: chỉ tính câu trả lời đã gửi đến ngày ấy, văn bản ghi ngày ấy / " +
        "play the campaign as of that day",
    ),
  layout: () => new Option("--layout <file>", "bố cục bảng theo dõi / tracking sheet layout (YAML)"),
  json: () => new Option("--json", "xuất JSON / print JSON"),
  out: () => new Option("--out <dir>", "thư mục kết quả / output folder").default("out"),
  stage: () =>
    new Option("--stage <stage>", "giai đoạn / stage: registration (đăng ký) | dossier (hồ sơ)").choices([
      ...STAGES,
    ]),
  number: () => new Option("--number <n>", "số văn bản đã đăng ký / the registered document number"),
  schoolYear: (help = "năm học / school year") => new Option("--school-year <yyyy-yyyy>", help),
} as const;
