import type { Firestore } from "@google-cloud/firestore";
import { z } from "zod";
import {
  ALERT_STATES,
  type AlertState,
  type IncidentOutcome,
  type IncidentRecord,
} from "../../domain/incident.js";
import { dateField } from "./codecs.js";
import type { Paths } from "./paths.js";

/** gRPC ALREADY_EXISTS: the report was stored by an earlier delivery. */
const EXISTS = 6;

const incidentDocSchema = z.object({
  key: z.string(),
  responseId: z.string(),
  formId: z.string().nullable(),
  schoolCode: z.string().nullable(),
  lastSubmittedTime: z.string(),
  receivedAt: dateField,
  respondentEmail: z.string().nullable(),
  respondent: z.object({ name: z.string().nullable(), role: z.string().nullable() }),
  disposition: z.enum(["accepted", "quarantined"]),
  reasons: z.array(z.string()),
  incident: z
    .object({
      indicatorId: z.string(),
      kindLabel: z.string(),
      date: z.string(),
      description: z.string(),
    })
    .partial(),
  rawJson: z.string(),
  alert: z.enum(ALERT_STATES),
});

const recordOf = (data: unknown): IncidentRecord => {
  const { rawJson: _, formId: __, ...record } = incidentDocSchema.parse(data);
  return record;
};

/**
 * campaigns/{id}/incidents/{key}: every incident report received, accepted or quarantined, each
 * version once (keyed like a submission: response id and submission time). An accepted one waits
 * for its alert to the office's leader (`alert: pending`) until the mail outbox has sent it.
 */
export const incidentStore = (_db: Firestore, p: Paths) => ({
  /** Store each report not stored before; the keys stored now (a redelivery is not among them). */
  async add(campaignId: string, outcomes: readonly IncidentOutcome[], now: Date): Promise<string[]> {
    const stored: string[] = [];
    for (const o of outcomes) {
      const doc = {
        key: o.key,
        responseId: o.responseId,
        formId: o.formId,
        schoolCode: o.schoolCode,
        lastSubmittedTime: o.lastSubmittedTime,
        receivedAt: now,
        respondentEmail: o.respondentEmail,
        respondent: o.respondent,
        disposition: o.disposition,
        reasons: o.reasons,
        incident: o.incident,
        rawJson: JSON.stringify(o.raw) ?? "null",
        alert: (o.disposition === "accepted" ? "pending" : "none") satisfies AlertState,
      };
      try {
        await p.incidents(campaignId).doc(o.key).create(doc);
        stored.push(o.key);
      } catch (error) {
        if ((error as { code?: unknown }).code !== EXISTS) throw error;
      }
    }
    return stored;
  },

  async list(campaignId: string): Promise<IncidentRecord[]> {
    const snap = await p.incidents(campaignId).get();
    return snap.docs.map((d) => recordOf(d.data())).sort((a, b) => a.key.localeCompare(b.key));
  },

  /** Reports whose leader has not been told yet. */
  async unalerted(campaignId: string): Promise<IncidentRecord[]> {
    const snap = await p.incidents(campaignId).where("alert", "==", "pending").get();
    return snap.docs.map((d) => recordOf(d.data()));
  },

  async setAlert(campaignId: string, key: string, alert: AlertState): Promise<void> {
    await p.incidents(campaignId).doc(key).update({ alert });
  },
});
