import type { Campaign } from "../domain/campaign.js";
import { CONTROL_TITLES, type ControlDocument, NO_CONTROL } from "../domain/control.js";
import { logCause } from "../errors.js";
import type { ReportDeps } from "./documents.js";
import { renderOfficeDocuments } from "./office-documents.js";

/** Why a document asked for cannot be made yet, in words the clerk acts on. */
const CANNOT: Record<ControlDocument, (campaign: Campaign) => string> = {
  "ke-hoach": () => "không lập được kế hoạch.",
  "bao-cao": () => "không lập được báo cáo.",
  "to-trinh": (c) =>
    c.office.authority
      ? "chưa có trường nào đạt qua kiểm tra để đề nghị công nhận."
      : "hồ sơ của phòng chưa ghi cấp có thẩm quyền công nhận (authority): báo người vận hành bổ sung.",
  "quyet-dinh": (c) =>
    c.office.authority
      ? "chưa có trường nào đạt qua kiểm tra để đề nghị công nhận."
      : "hồ sơ của phòng chưa ghi cấp có thẩm quyền công nhận (authority): báo người vận hành bổ sung.",
};

/**
 * The documents the clerk asked for in the Điều khiển tab (Lập), made now from the campaign as it
 * stands: rendered (PDF and Word copy) once per content, their links stored for the tab, the
 * requests cleared, each logged in Nhật ký. A document that cannot be made yet says why beside its
 * request. A failure is logged and the requests stay for the next run.
 */
export const makeRequestedDocuments = async (
  deps: ReportDeps,
  campaign: Campaign,
): Promise<ControlDocument[]> => {
  const control = campaign.control ?? NO_CONTROL;
  if (control.requested.length === 0) return [];
  const made = { ...control.made };
  const refused = { ...control.refused };
  try {
    for (const kind of control.requested) {
      const [doc] = await renderOfficeDocuments(deps, campaign.id, [kind]);
      if (!doc) {
        refused[kind] = CANNOT[kind](campaign);
        continue;
      }
      made[kind] = { url: doc.url, docxUrl: doc.docxUrl, at: deps.clock().toISOString() };
      delete refused[kind];
    }
  } catch (error) {
    deps.log.error("requested documents not made", { campaign: campaign.id, error: logCause(error) });
    return [];
  }
  // Read again before writing: a request or the switch the sheet cycle stored meanwhile stays.
  const fresh = (await deps.store.campaigns.get(campaign.id)).control ?? control;
  const next = {
    ...fresh,
    requested: fresh.requested.filter((k) => !control.requested.includes(k)),
    made: { ...fresh.made, ...made },
    refused: { ...refused },
  };
  await deps.store.campaigns.setControl(campaign.id, next);
  campaign.control = next;
  const done = control.requested.filter((k) => made[k] && !refused[k]);
  await deps.store.events.record(
    campaign.id,
    control.requested.map((kind) => ({
      at: deps.clock(),
      kind: "Điều khiển",
      message: done.includes(kind)
        ? `${CONTROL_TITLES[kind]}: đã lập, xem đường dẫn ở trang Điều khiển`
        : `${CONTROL_TITLES[kind]}: chưa lập được, ${refused[kind] ?? ""}`,
    })),
  );
  return done;
};
