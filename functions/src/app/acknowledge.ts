import type { Campaign } from "../domain/campaign.js";
import { schoolResultOf, thingsToFix } from "../domain/campaign-score.js";
import type { EmailView } from "../domain/email-view.js";
import { prefilledFormUrl } from "../domain/form-spec.js";
import { type MailOutcome, mailKey } from "../domain/mail.js";
import type { School } from "../domain/school.js";
import type { SchoolState } from "../domain/school-state.js";
import { SCHOOL_STATUS_LABELS } from "../domain/status.js";
import { formatPoints } from "../domain/text.js";
import { formatDateTimeVi } from "../domain/time.js";
import { hashOf } from "./documents.js";
import { mailSchoolOnce, officeView, type SendDeps, type SendRun, statusUrlOf } from "./send-deps.js";

/** What a school's response was, as it reads mid-sentence. */
const RECEIVED = { registration: "phiếu đăng ký", dossier: "hồ sơ tự đánh giá" } as const;

/** The school's newest accepted response: which form, its key and when it was sent. */
export const newestAccepted = (state: Pick<SchoolState, "latest">) =>
  (["registration", "dossier"] as const)
    .flatMap((stage) => {
      const input = state.latest[stage];
      return input ? [{ stage, key: input.key, at: input.lastSubmittedTime }] : [];
    })
    .sort((a, b) => a.at.localeCompare(b.at))
    .at(-1);

/**
 * The acknowledgement of the school's newest accepted response, once per response (an edited
 * response is acknowledged again): received, when, what its self-check shows and what is missing,
 * saying plainly that it is not an official document. No approval is needed, as nothing in it is
 * the office's word; it goes as soon as the delivery runs. A response set aside is acknowledged by
 * the message that says why (school-mail.ts), so it is not acknowledged here. A response the school
 * was mailed about since (`mailedAt`: its documents went after it) is not acknowledged any more, so a
 * state the office changes later (a verdict, a decision) never brings an old acknowledgement.
 */
export const acknowledgeResponse = async (
  deps: SendDeps,
  campaign: Campaign,
  school: School,
  state: SchoolState,
  run: SendRun,
  mailedAt?: Date,
): Promise<MailOutcome | undefined> => {
  const response = newestAccepted(state);
  if (!response) return undefined;
  if (mailedAt && mailedAt.getTime() >= new Date(response.at).getTime()) return undefined;
  const key = mailKey(school.code, hashOf("xac-nhan", response.key, response.at), "");
  const email = deps.templates.email({
    ...acknowledgementView(deps, campaign, school, state, response),
    ...(await statusUrlOf(deps, campaign, school)),
  });
  const { outcome } = await mailSchoolOnce(deps, campaign, school, key, email);
  if (outcome === "already-sent") return outcome;
  run.messages.push({ school: school.code, to: school.emails.join(", "), outcome, acknowledgement: true });
  const to = school.emails.join(", ");
  const sentAt = formatDateTimeVi(new Date(response.at), deps.timeZone);
  if (outcome === "sent" || outcome === "failed")
    await deps.store.events.record(campaign.id, [
      outcome === "sent"
        ? {
            at: deps.clock(),
            kind: "Xác nhận đã nhận",
            schoolCode: school.code,
            message: `Đã gửi thư xác nhận đã nhận ${RECEIVED[response.stage]} (gửi lúc ${sentAt}) đến ${to}`,
            key: `ack:${key}`,
          }
        : {
            at: deps.clock(),
            kind: "Lỗi gửi thư",
            schoolCode: school.code,
            message: `Không gửi được thư xác nhận đã nhận ${RECEIVED[response.stage]} đến ${to}`,
            key: `ack-failed:${key}`,
          },
    ]);
  return outcome;
};

const acknowledgementView = (
  deps: SendDeps,
  campaign: Campaign,
  school: School,
  state: SchoolState,
  response: NonNullable<ReturnType<typeof newestAccepted>>,
): EmailView => {
  const dossier = response.stage === "dossier";
  const result = schoolResultOf(school, campaign.criteriaSet, state);
  const form = campaign.forms[response.stage];
  const formUrl = form ? prefilledFormUrl(form, school) : undefined;
  return {
    kind: "xac-nhan",
    office: officeView(campaign),
    schoolYear: campaign.schoolYear,
    to: school.name,
    school: { code: school.code, name: school.name },
    receipt: { what: RECEIVED[response.stage], at: formatDateTimeVi(new Date(response.at), deps.timeZone) },
    ...(dossier
      ? {
          status: SCHOOL_STATUS_LABELS[state.assessedStatus],
          points: formatPoints(state.evaluation.points),
          maxPoints: formatPoints(state.evaluation.maxPoints),
          missing: thingsToFix(result),
        }
      : { missing: [] }),
    ...(formUrl ? { formUrl } : {}),
    attachments: [],
    sample: campaign.office.sample,
  };
};
