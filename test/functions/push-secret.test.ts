import { describe, expect, inject, it } from "vitest";
import {
  acceptedPushSecrets,
  PUSH_SECRET_GRACE_MS,
  type PushSecret,
  rotatedPushSecrets,
} from "../../functions/src/domain/campaign.js";
import { captureCli, makeCampaign, testStore, uniqueId } from "../kit/index.js";

/**
 * Each campaign's Apps Script push key: made and rotated by `dienhinh push-secret`, kept in the
 * campaign's document, never in the Campaign the program passes around, and kept when the campaign
 * is set up again.
 */
const env = () => ({ ...process.env, FIRESTORE_EMULATOR_HOST: inject("firestoreHost") });
const printed = (out: string) => /DIENHINH_SECRET=(\S+)/u.exec(out)?.[1] ?? "";

describe("dienhinh push-secret", () => {
  it("makes a key once, prints it again, and rotates it keeping the old one for 7 days", async () => {
    const campaign = await makeCampaign();
    const first = await captureCli(["push-secret", "--campaign", campaign.id], env());
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain(`Đã tạo khóa ký của đợt ${campaign.id}`);
    expect(first.out).toContain("Thuộc tính tập lệnh");
    const key = printed(first.out);
    expect(key).toMatch(/^[\w-]{43}$/u);

    const again = await captureCli(["push-secret", "--campaign", campaign.id], env());
    expect(printed(again.out)).toBe(key);
    expect(again.out).toContain("Khóa ký hiện tại");

    const rotated = await captureCli(["push-secret", "--campaign", campaign.id, "--rotate"], env());
    expect(rotated.code, rotated.err).toBe(0);
    expect(rotated.out).toContain("Đã thay khóa ký");
    expect(rotated.out).toMatch(/Khóa cũ \(mã \w+\) vẫn được nhận đến/u);
    const fresh = printed(rotated.out);
    expect(fresh).not.toBe(key);
    const stored = await testStore().campaigns.pushSecrets(campaign.id);
    expect(stored.map((s) => s.secret)).toEqual([fresh, key]);
    expect(acceptedPushSecrets(stored, new Date())).toEqual([fresh, key]);

    // The keys stay out of the Campaign, and setting the campaign up again keeps them.
    expect(Object.keys(await testStore().campaigns.get(campaign.id))).not.toContain("pushSecrets");
    await makeCampaign({ id: campaign.id });
    expect((await testStore().campaigns.pushSecrets(campaign.id)).map((s) => s.secret)).toEqual([fresh, key]);
  });

  it("needs a campaign that exists", async () => {
    const none = await captureCli(["push-secret"], env());
    expect([none.code, none.err]).toEqual([2, "Lỗi: Cần --campaign ID: khóa ký là của từng đợt đánh giá.\n"]);
    const unknown = await captureCli(["push-secret", "--campaign", uniqueId("khong-co")], env());
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("Không có đợt đánh giá");
    expect((await captureCli(["push-secret", "--campaign", "A/B"], env())).code).toBe(2);
  });
});

describe("push keys over time", () => {
  const at = (iso: string) => new Date(iso);
  const key = (id: string, createdAt: string): PushSecret => ({ id, secret: `${id}`.repeat(32), createdAt });

  it("accepts the current key, and each replaced one until its own grace ends", () => {
    const a = key("a", "2026-01-01T00:00:00.000Z");
    const b = key("b", "2026-02-01T00:00:00.000Z");
    const c = key("c", "2026-02-03T00:00:00.000Z");
    const rotatedAt = at("2026-02-01T00:00:00.000Z");
    const once = rotatedPushSecrets([a], b, rotatedAt);
    expect(once.map((s) => [s.id, s.retiredAt])).toEqual([
      ["b", undefined],
      ["a", "2026-02-01T00:00:00.000Z"],
    ]);
    const before = new Date(rotatedAt.getTime() + PUSH_SECRET_GRACE_MS - 1);
    const after = new Date(rotatedAt.getTime() + PUSH_SECRET_GRACE_MS);
    expect(acceptedPushSecrets(once, before)).toEqual([b.secret, a.secret]);
    expect(acceptedPushSecrets(once, after)).toEqual([b.secret]);
    // Rotating again within the grace: the first key keeps the week it was promised, no more.
    const twice = rotatedPushSecrets(once, c, at("2026-02-03T00:00:00.000Z"));
    expect(twice.map((s) => [s.id, s.retiredAt])).toEqual([
      ["c", undefined],
      ["b", "2026-02-03T00:00:00.000Z"],
      ["a", "2026-02-01T00:00:00.000Z"],
    ]);
    expect(acceptedPushSecrets(twice, before)).toEqual([c.secret, b.secret, a.secret]);
    expect(acceptedPushSecrets(twice, after)).toEqual([c.secret, b.secret]);
    // A key past its grace is dropped at the next rotation.
    const later = rotatedPushSecrets(
      twice,
      key("d", "2026-03-01T00:00:00.000Z"),
      at("2026-03-01T00:00:00.000Z"),
    );
    expect(later.map((s) => s.id)).toEqual(["d", "c"]);
    expect(acceptedPushSecrets([], before)).toEqual([]);
  });
});
