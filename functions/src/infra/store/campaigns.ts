import type { Firestore, WriteBatch } from "@google-cloud/firestore";
import {
  type Campaign,
  campaignSchema,
  type FormBinding,
  type FormKind,
  type PushSecret,
  pushSecretsSchema,
  rotatedPushSecrets,
} from "../../domain/campaign.js";
import { type School, schoolSchema } from "../../domain/school.js";
import { NotFoundError } from "../../errors.js";
import { type SubmissionRecord, submissionDocSchema } from "./codecs.js";
import type { Paths } from "./paths.js";

export class CampaignNotFound extends NotFoundError {
  constructor(readonly campaignId: string) {
    super(`Không có đợt đánh giá "${campaignId}"; chạy dienhinh setup trước.`);
  }
}

/** The campaign's keys, kept apart from `Campaign` (no view, log or export carries them). */
const KEYS = ["pushSecrets", "statusKey"] as const;

/** campaigns/{id}: the campaign itself, found by id or by one of its forms. */
export const campaignStore = (db: Firestore, p: Paths) => ({
  ...statusKeyStore(db, p),
  async get(id: string): Promise<Campaign> {
    const snap = await p.campaign(id).get();
    if (!snap.exists) throw new CampaignNotFound(id);
    return campaignSchema.parse(snap.data());
  },

  async find(id: string): Promise<Campaign | undefined> {
    const snap = await p.campaign(id).get();
    return snap.exists ? campaignSchema.parse(snap.data()) : undefined;
  },

  /** The campaign a form belongs to (a notification or a push names only the form). */
  async findByForm(formId: string): Promise<Campaign | undefined> {
    const snap = await p.campaigns().where("formIds", "array-contains", formId).limit(1).get();
    const doc = snap.docs[0];
    return doc ? campaignSchema.parse(doc.data()) : undefined;
  },

  async list(): Promise<Campaign[]> {
    return (await p.campaigns().get()).docs.map((d) => campaignSchema.parse(d.data()));
  },

  /** Write the campaign whole, keeping its push secrets and status key (only the methods below change those). */
  async save(campaign: Campaign): Promise<void> {
    const ref = p.campaign(campaign.id);
    await db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const kept = Object.fromEntries(
        KEYS.flatMap((field) => (snap.get(field) === undefined ? [] : [[field, snap.get(field) as unknown]])),
      );
      tx.set(ref, { ...campaign, ...kept });
    });
  },

  /** The Apps Script push's keys of a campaign, the current one first (none yet: empty). */
  async pushSecrets(id: string): Promise<PushSecret[]> {
    const snap = await p.campaign(id).get();
    if (!snap.exists) throw new CampaignNotFound(id);
    return pushSecretsSchema.parse(snap.get("pushSecrets"));
  },

  /**
   * The campaign's current push key: the one it has, or `fresh` when it has none or `rotate` is
   * asked (the current one is then retired, and still accepted for a grace period). Atomic, so two
   * offices' clerks rotating at once leave one current key.
   */
  async ensurePushSecret(
    id: string,
    fresh: PushSecret,
    options: { rotate: boolean; now: Date },
  ): Promise<{ secrets: PushSecret[]; created: boolean }> {
    const ref = p.campaign(id);
    return db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) throw new CampaignNotFound(id);
      const secrets = pushSecretsSchema.parse(snap.get("pushSecrets"));
      if (secrets.length > 0 && !options.rotate) return { secrets, created: false };
      const next = rotatedPushSecrets(secrets, fresh, options.now);
      tx.update(ref, { pushSecrets: next });
      return { secrets: next, created: true };
    });
  },

  async setSpreadsheet(id: string, spreadsheetId: string): Promise<void> {
    await p.campaign(id).update({ spreadsheetId });
  },

  /** The narrative parts of the office's report, as typed in the sheet's Báo cáo tab. */
  async setReport(id: string, report: NonNullable<Campaign["report"]>): Promise<void> {
    await p.campaign(id).update({ report });
  },

  /** The office's pause switch and document requests (the sheet's Điều khiển tab). */
  async setControl(id: string, control: NonNullable<Campaign["control"]>): Promise<void> {
    await p.campaign(id).update({ control });
  },

  /** The campaign calendar, as typed in the sheet's Lịch tab. */
  async setCalendar(id: string, calendar: NonNullable<Campaign["calendar"]>): Promise<void> {
    await p.campaign(id).update({ calendar });
  },

  /** The extensions granted single schools, as typed in the sheet's Gia hạn tab. */
  async setExtensions(id: string, extensions: NonNullable<Campaign["extensions"]>): Promise<void> {
    await p.campaign(id).update({ extensions });
  },

  ...formFields(db, p),
});

/** What the campaign keeps of each of its forms: its watch, its publish state, its watermark. */
const formFields = (db: Firestore, p: Paths) => ({
  async setWatch(id: string, stage: FormKind, watch: NonNullable<FormBinding["watch"]>): Promise<void> {
    await p.campaign(id).update({ [`forms.${stage}.watch`]: watch });
  },

  /** The publish state the calendar last applied to a form (see form-windows.ts). */
  async setFormPublish(
    id: string,
    stage: FormKind,
    publish: NonNullable<FormBinding["publish"]>,
  ): Promise<void> {
    await p.campaign(id).update({ [`forms.${stage}.publish`]: publish });
  },

  /** The registry a form's school list was last brought in line with (app/form-sync.ts). */
  async setFormSchoolList(
    id: string,
    form: FormKind,
    schoolList: NonNullable<FormBinding["schoolList"]>,
  ): Promise<void> {
    await p.campaign(id).update({ [`forms.${form}.schoolList`]: schoolList });
  },

  /** Move a form's watermark forward (never back), atomically. */
  async advanceWatermark(id: string, stage: FormKind, time: string): Promise<void> {
    const ref = p.campaign(id);
    await db.runTransaction(async (tx) => {
      const campaign = campaignSchema.parse((await tx.get(ref)).data());
      const form = campaign.forms[stage];
      if (!form || (form.watermark && form.watermark >= time)) return;
      tx.update(ref, { [`forms.${stage}.watermark`]: time });
    });
  },
});

/** campaigns/{id}/schools/{code}: the registry. */
export const schoolStore = (db: Firestore, p: Paths) => ({
  async load(campaignId: string): Promise<Map<string, School>> {
    const snap = await p.schools(campaignId).get();
    return new Map(snap.docs.map((d) => [d.id, schoolSchema.parse(d.data())]));
  },

  /** Take schools out of the registry (the office deleted their rows); their states and responses stay. */
  async remove(campaignId: string, codes: readonly string[]): Promise<void> {
    const batch = db.batch();
    for (const code of codes) batch.delete(p.schools(campaignId).doc(code));
    if (codes.length > 0) await batch.commit();
  },

  /** Replace the registry with these schools (a few hundred per office, 3,500 for a whole city). */
  async replace(campaignId: string, schools: readonly School[]): Promise<void> {
    const existing = await p.schools(campaignId).listDocuments();
    const keep = new Set(schools.map((s) => s.code));
    const writes: Array<(batch: WriteBatch) => void> = [
      ...existing
        .filter((ref) => !keep.has(ref.id))
        .map((ref) => (batch: WriteBatch) => void batch.delete(ref)),
      ...schools.map(
        (school) => (batch: WriteBatch) => void batch.set(p.schools(campaignId).doc(school.code), school),
      ),
    ];
    for (let i = 0; i < writes.length; i += 400) {
      const batch = db.batch();
      for (const write of writes.slice(i, i + 400)) write(batch);
      await batch.commit();
    }
  },
});

/** campaigns/{id}/submissions/{key}, read back (they are written with the school's state, by intake). */
export const submissionStore = (_db: Firestore, p: Paths) => ({
  async list(campaignId: string, filter: { responseId?: string } = {}): Promise<SubmissionRecord[]> {
    const col = p.submissions(campaignId);
    const snap = await (filter.responseId ? col.where("responseId", "==", filter.responseId) : col).get();
    return snap.docs.map((d) => submissionDocSchema.parse(d.data()));
  },

  async get(campaignId: string, key: string): Promise<SubmissionRecord | undefined> {
    const snap = await p.submissions(campaignId).doc(key).get();
    return snap.exists ? submissionDocSchema.parse(snap.data()) : undefined;
  },
});

/** campaigns/{id}.statusKey: the key of the campaign's status links (domain/status-link.ts). */
const statusKeyStore = (db: Firestore, p: Paths) => ({
  /**
   * The key that signs the campaign's status links (domain/status-link.ts), none yet: undefined
   * (and so is a campaign that does not exist: a link naming it is refused the same way).
   */
  async statusKey(id: string): Promise<string | undefined> {
    const key: unknown = (await p.campaign(id).get()).get("statusKey");
    return typeof key === "string" && key.length >= 32 ? key : undefined;
  },

  /** The campaign's status key: the one it has, or `fresh`, kept (atomic: two jobs keep one key). */
  async ensureStatusKey(id: string, fresh: string): Promise<string> {
    const ref = p.campaign(id);
    return db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) throw new CampaignNotFound(id);
      const key: unknown = snap.get("statusKey");
      if (typeof key === "string" && key.length >= 32) return key;
      tx.update(ref, { statusKey: fresh });
      return fresh;
    });
  },
});
