import { pullResponses } from "../../functions/src/app/intake.js";
import { setupCampaign } from "../../functions/src/app/setup.js";
import { sleep } from "../../functions/src/deps.js";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import { silentLogger } from "../../functions/src/infra/log.js";
import { createFirestore } from "../../functions/src/infra/store/firestore.js";
import { firestoreStore } from "../../functions/src/infra/store/index.js";
import {
  defaultSet,
  formResponse,
  OFFICE,
  PASSING_DOSSIER,
  SCHOOLS,
  startFormsServer,
  uniqueId,
} from "../kit/index.js";
import type { Fault } from "./fault.js";

/**
 * Poison in a form: one response in twenty carries an answer of over half a megabyte (Firestore
 * refuses a document over 1 MiB, and a commit holding one refuses every response in it). The
 * responses are pulled from a local Forms API server through the functions' own path, in
 * several notifications; every response must be stored (the oversized ones quarantined) and the
 * form's watermark must move past them.
 */
const RESPONSES = 200;
const ROUNDS = 4;

export const intakeFault: Fault = {
  name: "oversized responses",
  run: async ({ firestoreHost }) => {
    const forms = await startFormsServer();
    const store = firestoreStore(
      createFirestore({ projectId: "demo-dienhinh", emulatorHost: firestoreHost }),
      "faults",
    );
    try {
      const gateway = googleFormsGateway({ rootUrl: forms.url, auth: localAuth() });
      const clock = () => new Date();
      const schools = new Map(SCHOOLS.map((s) => [s.code, s]));
      const deps = { store, forms: gateway, clock, sleep, log: silentLogger, schools: async () => schools };
      const { campaign } = await setupCampaign(deps, {
        campaignId: uniqueId("poison"),
        schoolYear: "2025-2026",
        office: OFFICE,
        criteriaSet: defaultSet(),
        schools: SCHOOLS,
      });
      const formId = campaign.forms.dossier?.formId ?? "";
      const bindings = campaign.forms.dossier?.bindings ?? [];
      let oversized = 0;
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = round * (RESPONSES / ROUNDS); i < (round + 1) * (RESPONSES / ROUNDS); i++) {
          const big = i % 20 === 7;
          if (big) oversized++;
          const school = SCHOOLS[i % SCHOOLS.length] as (typeof SCHOOLS)[number];
          forms.addResponse(
            formId,
            formResponse(
              bindings,
              school,
              big ? { ...PASSING_DOSSIER, "2.3": "ế".repeat(200_000) } : PASSING_DOSSIER,
              {
                responseId: `p-${i}`,
                email: school.emails[0] ?? null,
                lastSubmittedTime: new Date(Date.UTC(2026, 10, 5, 1) + i * 1_000).toISOString(),
              },
            ) as never,
          );
        }
        // A notification: pull since the watermark, as onFormResponses does.
        await pullResponses(deps, (await store.campaigns.get(campaign.id)) as Campaign, "dossier");
      }
      const stored = await store.submissions.list(campaign.id);
      const keys = new Set(stored.map((s) => s.responseId));
      const tooBig = stored.filter((s) => s.reasons[0]?.startsWith("Câu trả lời quá lớn")).length;
      const watermark = (await store.campaigns.get(campaign.id)).forms.dossier?.watermark ?? "";
      const last = new Date(Date.UTC(2026, 10, 5, 1) + (RESPONSES - 1) * 1_000).toISOString();
      const lost = RESPONSES - keys.size;
      return [
        {
          fault: `one response in twenty over half a megabyte (${oversized} of ${RESPONSES}, ${ROUNDS} notifications)`,
          attempts: RESPONSES,
          expected: RESPONSES,
          delivered: keys.size,
          duplicated: stored.length - keys.size,
          lost,
          held: tooBig,
          measure: {
            name: "watermark behind the last response",
            value: watermark >= last ? 0 : 1,
            unit: "",
            limit: 0,
          },
          ok: lost === 0 && tooBig === oversized && watermark >= last,
        },
      ];
    } finally {
      await store.close();
      await forms.close();
    }
  },
};
