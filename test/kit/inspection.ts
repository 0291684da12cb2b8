import { loadCampaignView } from "../../functions/src/app/campaign-view.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import type { CriteriaSet } from "../../functions/src/domain/criteria.js";
import type { Inspection } from "../../functions/src/domain/inspection.js";
import { NO_REVIEW } from "../../functions/src/domain/review.js";
import type { SchoolRef } from "../../functions/src/domain/school.js";
import {
  deriveSchoolState,
  type OfficeInputs,
  officeInputsOf,
  type SchoolState,
} from "../../functions/src/domain/school-state.js";
import type { Store } from "../../functions/src/infra/store/index.js";

export const TEAM: Inspection["team"] = [
  { name: "Nguyễn Văn Thử", unit: "Phòng Giáo dục và Đào tạo" },
  { name: "Trần Văn Bảo", unit: "Công an xã Nhà Bè" },
];

/**
 * An inspection of a school as scored: every applicable indicator confirmed, but those in `reject`
 * (indicator id → the team's reason).
 */
export const inspectionOf = (
  state: Pick<SchoolState, "evaluation">,
  reject: Record<string, string> = {},
  extra: Partial<Inspection> = {},
): Inspection => ({
  date: "2026-12-10",
  place: "Tại trường",
  team: TEAM,
  findings: Object.fromEntries(
    state.evaluation.criteria
      .filter((c) => c.status !== "not-applicable")
      .flatMap((c) => c.indicators)
      .filter((i) => i.status !== "not-applicable")
      .map((i) => {
        const reason = reject[i.id];
        return [i.id, reason ? { finding: "khong-xac-nhan", reason } : { finding: "xac-nhan", reason: "" }];
      }),
  ),
  commend: false,
  ...extra,
});

/** The state again with the office's inputs changed (an inspection, a note, a recognition). */
export const withOffice = (
  state: SchoolState,
  school: SchoolRef,
  set: CriteriaSet,
  office: OfficeInputs,
): SchoolState =>
  deriveSchoolState(school, set, state.latest, state.quarantine, { ...officeInputsOf(state), ...office });

/** The state inspected: Đạt with no rejection, Không đạt with one. */
export const inspected = (
  state: SchoolState,
  school: SchoolRef,
  set: CriteriaSet,
  reject: Record<string, string> = {},
): SchoolState => withOffice(state, school, set, { inspection: inspectionOf(state, reject) });

/**
 * The office's approval of each school's current content (or of those named), as the clerk gives
 * it in Theo dõi's "Phòng duyệt gửi" (approval.ts): what a school is mailed waits for it.
 */
export const approveSchools = async (
  store: Store,
  campaign: Campaign,
  codes?: readonly string[],
  now: Date = new Date(),
): Promise<void> => {
  const { stored } = await loadCampaignView(store, campaign.id);
  const changes = [...stored.values()]
    .filter((s) => !codes || codes.includes(s.state.schoolCode))
    .map((s) => ({
      state: { ...s.state, review: { ...(s.state.review ?? NO_REVIEW), approved: s.state.contentHash } },
      before: s,
    }));
  await store.states.save(campaign, changes, now, []);
};

/** Whether a message is a school's acknowledgement of receipt (acknowledge.ts), not its documents. */
export const isAcknowledgement = (mail: { subject?: string | undefined }): boolean =>
  (mail.subject ?? "").includes("Xác nhận đã nhận");
