import { z } from "zod";
import { type OnboardDone, onboardOffice } from "../../app/onboard-office.js";
import type { Config } from "../../config.js";
import { loadSheetLayout } from "../../data/sheet-layout-file.js";
import { FORM_LABELS, isLocalForm } from "../../domain/campaign.js";
import { officeFullName } from "../../domain/office.js";
import { formatNumberVi } from "../../domain/text.js";
import { InputError } from "../../errors.js";
import { configFor, type Env, withDeps } from "../context.js";
import type { CliIo } from "../io.js";
import { checkCampaignFlags, printSetup, shareListOf } from "./campaign.js";
import { checkCommand } from "./check.js";

export interface OnboardOptions {
  campaign?: string;
  schoolYear?: string;
  office?: string;
  registry?: string;
  criteria?: string;
  calendar?: string;
  share?: string;
  topic?: string;
  layout?: string;
}

/**
 * What scripts/deploy names in a project (its service accounts and the forms' watch topic): the
 * forms and the sheet are shared with the two accounts (the functions read the responses, the job
 * opens and closes the forms and writes the sheet), and the watches publish to the topic.
 */
export const deploymentOf = (config: Config, topic?: string) => {
  const project = config.env.GOOGLE_CLOUD_PROJECT ?? config.env.GCLOUD_PROJECT;
  return {
    accounts: project
      ? [
          `dienhinh-runtime@${project}.iam.gserviceaccount.com`,
          `dienhinh-job@${project}.iam.gserviceaccount.com`,
        ]
      : [],
    topic:
      topic ??
      config.watchTopic ??
      (project ? `projects/${project}/topics/dienhinh-form-responses` : undefined),
  };
};

/**
 * `dienhinh onboard`: add an office to the deployment in one command. Everything is asked for (the
 * office's profile, registry, school year, campaign id, its staff), checked together as `dienhinh
 * check` does, then the campaign is set up as `dienhinh setup` does (forms, watches, sheet, shares)
 * and what to send the office is printed: the sheet's link, each form's link for the schools.
 */
export const onboardCommand = async (options: OnboardOptions, io: CliIo, env: Env) => {
  const given = requireAll(options);
  checkCampaignFlags(given);
  const staff = shareListOf(given.share);
  const invalid = staff.filter((e) => !z.email().safeParse(e).success);
  if (staff.length === 0 || invalid.length > 0)
    throw new InputError(
      `--share cần địa chỉ thư điện tử (tài khoản Google) của cán bộ phòng, cách nhau bằng dấu phẩy` +
        (invalid.length > 0 ? `; không hợp lệ: ${invalid.join(", ")}` : "") +
        " / --share needs the office staff's Google account emails.",
    );
  const config = configFor(env);
  // The files first, together, before anything is created (the same checks as dienhinh check).
  await checkCommand({ office: given.office, registry: given.registry, criteria: options.criteria }, io);
  const sheetLayout = options.layout ? await loadSheetLayout(options.layout) : undefined;
  const deployment = deploymentOf(config, options.topic);
  const shareWith = [...new Set([...deployment.accounts, ...staff])];
  const done = await withDeps(config, {}, (deps) =>
    onboardOffice(deps, {
      campaignId: given.campaign,
      schoolYear: given.schoolYear,
      files: {
        office: given.office,
        registry: given.registry,
        ...(options.criteria ? { criteria: options.criteria } : {}),
        ...(options.calendar ? { calendar: options.calendar } : {}),
      },
      ...(deployment.topic ? { topicName: deployment.topic } : {}),
      ...(sheetLayout ? { sheetLayout } : {}),
      share: { gateway: deps.sheets.gateway, with: shareWith },
      sheet: deps.sheets,
    }).then((result) => ({ result, where: deps.store.where })),
  );
  printSetup(done.result, done.where, shareWith, io);
  printForOffice(done.result, staff, deployment.accounts, io);
};

type Given = Required<Pick<OnboardOptions, "campaign" | "schoolYear" | "office" | "registry" | "share">>;

/** Every missing option at once, each with what it is. */
const requireAll = (options: OnboardOptions): Given => {
  const needed: Array<[keyof Given, string]> = [
    ["campaign", "--campaign MÃ (mã đợt mới của phòng, ví dụ q7-2026-2027)"],
    ["schoolYear", "--school-year 2026-2027 (năm học của đợt)"],
    ["office", "--office TỆP.yaml (hồ sơ phòng: tên cơ quan, người ký, thư điện tử)"],
    ["registry", "--registry TỆP (danh sách trường của phòng: .csv hoặc .xlsx)"],
    ["share", "--share EMAIL,EMAIL (tài khoản Google của cán bộ phòng)"],
  ];
  const missing = needed.filter(([key]) => !options[key]?.trim());
  if (missing.length > 0)
    throw new InputError(
      [
        "Thêm đơn vị cần đủ các thông tin sau / onboarding an office needs:",
        ...missing.map(([, what]) => `  - ${what}`),
        "Bộ tiêu chí (--criteria) không bắt buộc: mặc định là bộ tiêu chí chung.",
      ].join("\n"),
    );
  return options as Given;
};

/** What the operator sends the office: its sheet, its forms' links, who can open them. */
const printForOffice = (
  done: OnboardDone,
  staff: readonly string[],
  accounts: readonly string[],
  io: CliIo,
) => {
  const { campaign } = done;
  io.out("");
  io.out(
    `${done.repaired ? "Đã kiểm tra và sửa" : "Đã thêm"} đơn vị / office ${done.repaired ? "repaired" : "onboarded"}: ` +
      `${officeFullName(campaign.office)} · đợt ${campaign.id} · năm học ${campaign.schoolYear} · ` +
      `${formatNumberVi(done.schools)} trường`,
  );
  io.out("Gửi cho phòng / send to the office:");
  if (done.sheet) io.out(`  Bảng theo dõi / tracking sheet: ${done.sheet.where}`);
  for (const s of done.stages) {
    if (isLocalForm(s.formId)) continue;
    io.out(
      `  ${FORM_LABELS[s.stage]}: ${s.responderUri ?? "(chưa có đường dẫn trả lời / no responder link)"}`,
    );
    io.out(`    sửa biểu mẫu / edit: https://docs.google.com/forms/d/${s.formId}/edit`);
  }
  io.out(`  Đã chia sẻ (quyền chỉnh sửa) với / shared with (editor): ${staff.join(", ")}`);
  if (accounts.length > 0)
    io.out(`  và tài khoản dịch vụ của hệ thống / and the deployment's accounts: ${accounts.join(", ")}`);
  io.out(
    "Cán bộ phòng chỉ cần đăng nhập bằng tài khoản Google trên; các trường mở đường dẫn biểu mẫu. / " +
      "The office needs only these Google accounts; schools open the forms' links.",
  );
};
