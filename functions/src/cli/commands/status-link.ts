import { randomBytes } from "node:crypto";
import { signedStatusLinks } from "../../app/status-page.js";
import { campaignSchema } from "../../domain/campaign.js";
import { compareSchools } from "../../domain/school.js";
import { InputError } from "../../errors.js";
import { configFor, type Env, withDeps } from "../context.js";
import type { CliIo } from "../io.js";

export interface StatusLinkOptions {
  campaign?: string;
  /** The status page's URL; DIENHINH_STATUS_URL by default. */
  url?: string;
}

/**
 * `dienhinh status-link --campaign ID [SCHOOL]`: each school's status link (or one school's), as
 * its emails carry it, for the office to send again or to open with `dienhinh serve`. The
 * campaign's status key is made here when it has none yet.
 */
export const statusLinkCommand = async (
  school: string | undefined,
  options: StatusLinkOptions,
  io: CliIo,
  env: Env,
) => {
  if (!options.campaign) throw new InputError("Cần --campaign ID: đường dẫn là của từng đợt đánh giá.");
  const id = campaignSchema.shape.id.safeParse(options.campaign);
  if (!id.success) throw new InputError(`--campaign "${options.campaign}": ${id.error.issues[0]?.message}`);
  const config = configFor(env);
  const base = options.url ?? config.statusUrl;
  if (!base)
    throw new InputError(
      "Cần địa chỉ hàm statusPage: --url URL, hoặc đặt DIENHINH_STATUS_URL (dienhinh serve in địa chỉ này).",
    );
  if (!URL.canParse(base)) throw new InputError(`--url "${base}": cần một địa chỉ đầy đủ, ví dụ https://…`);
  const lines = await withDeps(config, {}, async (deps) => {
    const campaign = await deps.store.campaigns.get(id.data);
    const schools = [...(await deps.store.schools.load(campaign.id)).values()].sort(compareSchools);
    const chosen = school === undefined ? schools : schools.filter((s) => s.code === school);
    if (chosen.length === 0) throw new InputError(`Đợt ${campaign.id} không có trường mã "${school}".`);
    const link = signedStatusLinks(deps.store, base, () => randomBytes(32).toString("base64url"));
    return Promise.all(chosen.map(async (s) => `${s.code}\t${await link(campaign, s)}`));
  });
  for (const line of lines) io.out(line);
};
