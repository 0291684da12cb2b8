import { FieldValue, type Firestore } from "@google-cloud/firestore";
import type { Campaign } from "../../domain/campaign.js";
import type { School } from "../../domain/school.js";
import type { SchoolInputs, SchoolState } from "../../domain/school-state.js";
import type { SchoolStatus } from "../../domain/status.js";
import { ConflictError } from "../../errors.js";
import {
  encodeSchoolState,
  newOutboxEntry,
  schoolStateDocSchema,
  timestampOf,
  type Version,
  versionOf,
} from "./codecs.js";
import type { Paths } from "./paths.js";

/** A school's state as stored: its inputs (the rest is derived from them), and what became of it. */
export interface StoredState {
  inputs: SchoolInputs;
  status: SchoolStatus;
  contentHash: string;
  /** When the state last changed. */
  updatedAt: Date;
  /** The document's version, for a precondition. */
  version: Version;
  reportUrl?: string;
  /** The editable copy (Word, or its Google Doc) of the school's latest result. */
  reportDocxUrl?: string;
  mailedAt?: Date;
}

/** A state recomputed outside intake, and the stored state it replaces (none: the first). */
export interface StateChange {
  state: SchoolState;
  before?: Pick<StoredState, "version" | "contentHash">;
  /**
   * The school's documents print differently though what it is told is the same (the office
   * recorded the number of its notice): rendered again and its row rewritten, never mailed again.
   */
  rerender?: boolean;
}

/** A commit holds at most 500 writes: a school's entry, state and outbox entry, 150 schools a commit. */
const SCHOOLS_PER_COMMIT = 150;

/** campaigns/{id}/schoolStates/{code}: each school's state. */
export const stateStore = (db: Firestore, p: Paths) => ({
  async load(campaignId: string): Promise<Map<string, StoredState>> {
    const snap = await p.schoolStates(campaignId).get();
    return new Map(
      snap.docs.map((doc) => {
        const data = schoolStateDocSchema.parse(doc.data());
        const stored: StoredState = {
          inputs: data.inputsJson,
          status: data.status,
          contentHash: data.contentHash,
          updatedAt: data.updatedAt,
          version: versionOf(doc.updateTime),
          ...(data.reportUrl ? { reportUrl: data.reportUrl } : {}),
          ...(data.reportDocxUrl ? { reportDocxUrl: data.reportDocxUrl } : {}),
          ...(data.mailedAt ? { mailedAt: data.mailedAt } : {}),
        };
        return [doc.id, stored];
      }),
    );
  },

  /**
   * Save states recomputed outside intake (the office's inspection or decision, a registry edit, a criteria change)
   * with the registry entries that changed, each state only if unchanged since it was read, and
   * queue the school's sheet row, report and email again when what people see changed. A school's
   * entry and state are saved in one atomic commit; when intake changed one of them meanwhile the
   * commit fails with a ConflictError and the caller tries again later. Returns how many were queued.
   */
  async save(
    campaign: Pick<Campaign, "id" | "criteriaSet">,
    changes: readonly StateChange[],
    now: Date,
    schools: readonly School[] = [],
  ): Promise<number> {
    const byCode = new Map<string, { school?: School; change?: StateChange }>();
    for (const school of schools) byCode.set(school.code, { school });
    for (const change of changes)
      byCode.set(change.state.schoolCode, { ...byCode.get(change.state.schoolCode), change });
    const entries = [...byCode];
    let queued = 0;
    for (let i = 0; i < entries.length; i += SCHOOLS_PER_COMMIT) {
      const batch = db.batch();
      for (const [code, { school, change }] of entries.slice(i, i + SCHOOLS_PER_COMMIT)) {
        if (school) batch.set(p.schools(campaign.id).doc(code), school);
        if (!change) continue;
        const { state, before } = change;
        const ref = p.schoolStates(campaign.id).doc(code);
        const doc = encodeSchoolState(state, campaign.criteriaSet.version, now);
        if (before) batch.update(ref, doc, { lastUpdateTime: timestampOf(before.version) });
        else batch.create(ref, doc);
        if (state.contentHash !== before?.contentHash) {
          batch.set(p.outbox(campaign.id).doc(code), newOutboxEntry(code, state.contentHash, now));
          queued++;
        } else if (change.rerender) {
          const { sheet, report } = newOutboxEntry(code, state.contentHash, now);
          batch.set(p.outbox(campaign.id).doc(code), { sheet, report }, { merge: true });
        }
      }
      try {
        await batch.commit();
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === 6 || code === 9)
          throw new ConflictError("Dữ liệu của trường vừa thay đổi; lần cập nhật sau sẽ nhận lại.", {
            cause: error,
            detail: "school states: changed since read",
          });
        throw error;
      }
    }
    return queued;
  },

  /** Where the school's latest result is: its PDF, and its Word copy (none: an older one is forgotten). */
  async setReportUrl(campaignId: string, code: string, url: string, docxUrl?: string): Promise<void> {
    await p
      .schoolStates(campaignId)
      .doc(code)
      .update({ reportUrl: url, reportDocxUrl: docxUrl ?? FieldValue.delete() });
  },

  async setMailedAt(campaignId: string, code: string, at: Date): Promise<void> {
    await p.schoolStates(campaignId).doc(code).update({ mailedAt: at });
  },
});
