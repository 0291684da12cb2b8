import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import { PubSub } from "@google-cloud/pubsub";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Campaign } from "../../functions/src/domain/campaign.js";
import { registerFunctions } from "../../functions/src/functions/register.js";
import { guardServer } from "../../functions/src/functions/request-guard.js";
import { type RunningEmulator, startEmulator } from "../../functions/src/infra/emulators.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import {
  type FormsServer,
  formResponse,
  makeCampaign,
  PASSING_DOSSIER,
  SCHOOLS,
  startFormsServer,
  testDeps,
  testStore,
} from "../kit/index.js";

/**
 * The whole push path through Google's Pub/Sub emulator: a message published on the watch's
 * topic reaches onFormResponses (served by the Functions Framework) through a push subscription,
 * and the response it announces lands in Firestore.
 */
let pubsubEmulator: RunningEmulator;
let forms: FormsServer;
let server: Server;
let pubsub: PubSub;
let campaign: Campaign;

beforeAll(async () => {
  [pubsubEmulator, forms] = await Promise.all([startEmulator("pubsub"), startFormsServer()]);
  const gateway = googleFormsGateway({ rootUrl: forms.url, auth: localAuth() });
  campaign = await makeCampaign({ forms: gateway });
  registerFunctions(async () => ({ app: testDeps({ forms: gateway }) }));
  // Behind the request guard, as deployed: a real push subscription's request must pass it.
  server = guardServer(getTestServer("onFormResponses"), "onFormResponses");
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // The client's own way to find an emulator (this test file runs in its own process).
  process.env.PUBSUB_EMULATOR_HOST = pubsubEmulator.host;
  pubsub = new PubSub({ projectId: "demo-dienhinh" });
}, 90_000);

afterAll(async () => {
  await pubsub?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await Promise.all([pubsubEmulator?.stop(), forms?.close()]);
});

describe("the push path through the Pub/Sub emulator", () => {
  it("delivers a watch notification to onFormResponses, which pulls and stores the response", async () => {
    const dossier = campaign.forms.dossier as NonNullable<Campaign["forms"]["dossier"]>;
    const th1 = SCHOOLS[1] as (typeof SCHOOLS)[number];
    forms.addResponse(
      dossier.formId,
      formResponse(dossier.bindings, th1, PASSING_DOSSIER, { responseId: "via-pubsub" }) as never,
    );

    const [topic] = await pubsub.createTopic("form-responses");
    const { port } = server.address() as AddressInfo;
    await topic.createSubscription("to-function", {
      pushConfig: { pushEndpoint: `http://127.0.0.1:${port}/` },
    });
    // What a Forms watch publishes: attributes only, no answers.
    await topic.publishMessage({
      data: Buffer.alloc(0),
      attributes: { formId: dossier.formId, watchId: "w1", eventType: "RESPONSES" },
    });

    const stored = async () => testStore().submissions.list(campaign.id, { responseId: "via-pubsub" });
    const deadline = Date.now() + 30_000;
    let found = await stored();
    while (found.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      found = await stored();
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ disposition: "accepted", schoolCode: "T-TH1" });
  }, 60_000);
});
