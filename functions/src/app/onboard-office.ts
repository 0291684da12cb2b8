import { realpath } from "node:fs/promises";
import { loadOfficeProfile } from "../data/office-file.js";
import { SAMPLE_REGISTRY_FILE } from "../data/registry-csv.js";
import { officeFullName, sameOffice } from "../domain/office.js";
import { InputError } from "../errors.js";
import type { AppDeps } from "./deps.js";
import { type SetupDone, type SetupRequest, setupOffice } from "./setup-office.js";

/** An office onboarded into a deployment: its own files, always, and the people it is shared with. */
export interface OnboardRequest extends Omit<SetupRequest, "files" | "sample" | "adopt" | "schoolYear"> {
  schoolYear: string;
  files: { office: string; registry: string; criteria?: string; calendar?: string };
  share: NonNullable<SetupRequest["share"]>;
}

export interface OnboardDone extends SetupDone {
  /** The campaign existed (for this office) and was repaired, not created. */
  repaired: boolean;
}

/**
 * `dienhinh onboard`: an office added to a running deployment, with its own profile, registry and
 * criteria, never the sample's. A campaign id already taken by another office (or by a trial on the
 * sample data) is refused: onboarding must not overwrite someone else's campaign. Run again for the
 * same office, it repairs the campaign (forms, watches, sheet, shares) from the files given.
 */
export const onboardOffice = async (
  deps: Pick<AppDeps, "store" | "forms" | "log" | "clock" | "sleep">,
  request: OnboardRequest,
): Promise<OnboardDone> => {
  const office = await loadOfficeProfile(request.files.office);
  if (office.sample) throw new InputError(SAMPLE_REFUSED("hồ sơ phòng (--office) là hồ sơ mẫu Nhà Bè"));
  if (await sameFile(request.files.registry, SAMPLE_REGISTRY_FILE))
    throw new InputError(SAMPLE_REFUSED("danh sách trường (--registry) là danh sách mẫu"));
  const existing = await deps.store.campaigns.find(request.campaignId);
  if (existing && (existing.office.sample || !sameOffice(existing.office, office)))
    throw new InputError(
      `Mã đợt “${request.campaignId}” đã được dùng cho ` +
        (existing.office.sample ? "một đợt chạy thử bằng dữ liệu mẫu" : officeFullName(existing.office)) +
        ` (năm học ${existing.schoolYear}); không ghi đè đợt của đơn vị khác. ` +
        "Chọn mã đợt khác cho phòng này, ví dụ gồm tên đơn vị và năm học: --campaign q7-2026-2027. / " +
        `campaign id "${request.campaignId}" belongs to another office: choose another id.`,
    );
  const done = await setupOffice(deps, { ...request, adopt: {} });
  return { ...done, repaired: existing !== undefined };
};

const SAMPLE_REFUSED = (what: string) =>
  `Không thêm đơn vị bằng dữ liệu mẫu: ${what}. Dùng tệp của chính phòng đó ` +
  "(kiểm tra trước bằng dienhinh check). / onboarding never uses the sample data.";

/** Whether two paths name the same file (a copy elsewhere is the office's own, even if unchanged). */
const sameFile = async (a: string, b: string): Promise<boolean> => {
  const [x, y] = await Promise.all([realpath(a).catch(() => a), realpath(b).catch(() => b)]);
  return x === y;
};
