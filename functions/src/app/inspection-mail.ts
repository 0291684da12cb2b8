import type { Campaign } from "../domain/campaign.js";
import type { EmailView } from "../domain/email-view.js";
import type { Inspection } from "../domain/inspection.js";
import { mailKey } from "../domain/mail.js";
import type { School } from "../domain/school.js";
import { formatDateVi, wallClock } from "../domain/time.js";
import type { StoredEvent } from "../infra/store/index.js";
import type { CampaignView } from "./campaign-view.js";
import { hashOf } from "./documents.js";
import { mailSchoolOnce, officeView, type SendDeps, type SendRun, statusUrlOf } from "./send-deps.js";

/**
 * Each school's inspection plan, mailed once: when and where the team comes and who is in it. A
 * plan that changes (day, time, place, team) is mailed again, saying so; a plan unchanged is never
 * mailed twice (the message is keyed by the plan). Nothing is announced for a day already past or
 * an inspection already concluded.
 */
export const sendInspectionPlans = async (
  deps: SendDeps,
  { campaign, schools, stored }: CampaignView,
  run: SendRun,
  options: { dryRun?: boolean } = {},
): Promise<void> => {
  const campaignId = campaign.id;
  const today = wallClock(deps.clock(), deps.timeZone).toISOString().slice(0, 10);
  const announced = new Set(
    (await deps.store.mail.list(campaignId))
      .filter((m) => m.schoolCode && m.subject.toLocaleLowerCase("vi").includes("lịch kiểm tra"))
      .map((m) => `${m.schoolCode}|${m.key}`),
  );
  for (const [code, { state }] of stored) {
    const school = schools.get(code);
    const plan = state.inspection;
    if (!school || !plan || state.outcome.verdict || state.recognition || plan.date < today) continue;
    const planHash = hashOf("lich-kiem-tra", plan.date, plan.time, plan.place, plan.teamName, plan.team);
    const to = school.emails.join(", ");
    const key = mailKey(code, planHash, to);
    const changed = [...announced].some((k) => k.startsWith(`${code}|`) && k !== `${code}|${key}`);
    if (options.dryRun) {
      run.messages.push({ school: code, to, outcome: "would-send" });
      continue;
    }
    const email = deps.templates.email({
      ...planView(campaign, school, plan, changed),
      ...(await statusUrlOf(deps, campaign, school)),
    });
    const { outcome } = await mailSchoolOnce(deps, campaign, school, key, email);
    run.messages.push({ school: code, to, outcome });
    if (outcome === "sent")
      await deps.store.events.record(campaignId, [sentEvent(deps.clock(), code, to, key, plan)]);
  }
};

const WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];

/** "08:00, thứ Ba, ngày 15/12/2026". */
export const planWhen = (plan: Pick<Inspection, "date" | "time">): string => {
  const weekday = WEEKDAYS[new Date(`${plan.date}T00:00:00Z`).getUTCDay()] ?? "";
  return `${plan.time ? `${plan.time}, ` : ""}${weekday}, ngày ${formatDateVi(plan.date)}`;
};

const planView = (campaign: Campaign, school: School, plan: Inspection, changed: boolean): EmailView => ({
  kind: "lich-kiem-tra",
  office: officeView(campaign),
  schoolYear: campaign.schoolYear,
  to: school.name,
  school: { code: school.code, name: school.name },
  plan: {
    when: planWhen(plan),
    place: plan.place,
    ...(plan.teamName ? { teamName: plan.teamName } : {}),
    team: plan.team.map((m, i) => `${m.name}, ${m.unit}${i === 0 ? " (trưởng đoàn)" : ""}`),
    changed,
  },
  attachments: [],
  sample: campaign.office.sample,
});

const sentEvent = (at: Date, code: string, to: string, key: string, plan: Inspection): StoredEvent => ({
  at,
  kind: "Gửi thư",
  schoolCode: code,
  message: `Đã gửi lịch kiểm tra (${planWhen(plan)}) đến ${to}`,
  key: `mail-sent:${key}`,
});
