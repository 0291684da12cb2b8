import { randomBytes } from "node:crypto";
import { campaignSchema, PUSH_SECRET_GRACE_MS, type PushSecret } from "../../domain/campaign.js";
import { InputError } from "../../errors.js";
import { configFor, type Env, withDeps } from "../context.js";
import type { CliIo } from "../io.js";

export interface PushSecretOptions {
  campaign?: string;
  rotate?: boolean;
}

/** A new key: 32 random bytes (43 characters), and a short id to tell keys apart in messages. */
const freshSecret = (now: Date): PushSecret => ({
  id: randomBytes(4).toString("hex"),
  secret: randomBytes(32).toString("base64url"),
  createdAt: now.toISOString(),
});

const dateOf = (iso: string) =>
  new Date(iso).toLocaleString("vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh",
    dateStyle: "short",
    timeStyle: "short",
  });

/**
 * `dienhinh push-secret --campaign ID [--rotate]`: the key the campaign's forms sign their Apps
 * Script push with, created the first time, replaced with `--rotate` (the old key is still accepted
 * for 7 days, while the office pastes the new one into each form). Prints it, for the Script
 * properties; whoever can run this can read the campaign in Firestore anyway.
 */
export const pushSecretCommand = async (options: PushSecretOptions, io: CliIo, env: Env) => {
  if (!options.campaign) throw new InputError("Cần --campaign ID: khóa ký là của từng đợt đánh giá.");
  const id = campaignSchema.shape.id.safeParse(options.campaign);
  if (!id.success) throw new InputError(`--campaign "${options.campaign}": ${id.error.issues[0]?.message}`);
  const config = configFor(env);
  const { secrets, created, now } = await withDeps(config, {}, async (deps) => {
    const now = deps.clock();
    const kept = await deps.store.campaigns.ensurePushSecret(id.data, freshSecret(now), {
      rotate: options.rotate === true,
      now,
    });
    return { ...kept, now };
  });
  const [current, ...replaced] = secrets;
  if (!current) throw new InputError(`Đợt ${id.data} chưa có khóa ký.`);
  io.out(
    `${created ? (replaced.length > 0 ? "Đã thay khóa ký" : "Đã tạo khóa ký") : "Khóa ký hiện tại"} của đợt ${id.data} ` +
      `(mã ${current.id}, tạo lúc ${dateOf(current.createdAt)}):`,
  );
  io.out(`  DIENHINH_SECRET=${current.secret}`);
  io.out(
    "Dán vào mỗi biểu mẫu của đợt: Tiện ích mở rộng › Apps Script › Cài đặt dự án › Thuộc tính tập lệnh " +
      "(Script properties), khóa DIENHINH_SECRET; DIENHINH_URL là địa chỉ hàm ingestResponse.",
  );
  for (const old of replaced) {
    const until = Date.parse(old.retiredAt ?? "") + PUSH_SECRET_GRACE_MS;
    if (!(until > now.getTime())) continue; // no longer accepted: nothing to replace it before
    io.out(
      `Khóa cũ (mã ${old.id}) vẫn được nhận đến ${dateOf(new Date(until).toISOString())}: hãy thay trong mọi biểu mẫu trước lúc đó.`,
    );
  }
  if (!created) io.out("Thay khóa (khi lộ, hoặc định kỳ): dienhinh push-secret --campaign ID --rotate.");
};
