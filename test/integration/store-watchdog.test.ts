import { afterAll, describe, expect, inject, it } from "vitest";
import { StoreUnavailable } from "../../functions/src/infra/store/errors.js";
import { createFirestore } from "../../functions/src/infra/store/firestore.js";
import { firestoreStore } from "../../functions/src/infra/store/index.js";
import { uniqueId } from "../kit/index.js";

/**
 * The store's watchdog: the Firestore client retries a dead server for minutes, so while a call is
 * pending a probe asks something outside the client, and two failed probes end the call.
 */
describe("the store's watchdog", () => {
  const stores: Array<{ close: () => Promise<void> }> = [];
  afterAll(() => Promise.all(stores.map((s) => s.close())));

  it("ends a call to a Firestore that does not answer after two failed probes", async () => {
    // Nothing listens on port 9 of loopback: the client would retry for ten minutes.
    const db = createFirestore({ projectId: "demo-dienhinh", emulatorHost: "127.0.0.1:9" });
    let probes = 0;
    const store = firestoreStore(db, "dead", {
      probe: async () => {
        probes++;
        return false;
      },
      probeEveryMs: 50,
    });
    stores.push(store);
    const started = performance.now();
    await expect(store.campaigns.find(uniqueId("gone"))).rejects.toBeInstanceOf(StoreUnavailable);
    expect(probes).toBe(2);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("fails the next calls at once once Firestore was found gone, and goes on when it is back", async () => {
    const db = createFirestore({ projectId: "demo-dienhinh", emulatorHost: "127.0.0.1:9" });
    let probes = 0;
    let alive = false;
    const store = firestoreStore(db, "dead", {
      probe: async () => {
        probes++;
        return alive;
      },
      probeEveryMs: 300,
    });
    stores.push(store);
    await expect(store.campaigns.find(uniqueId("gone"))).rejects.toBeInstanceOf(StoreUnavailable);
    expect(probes).toBe(2);
    // Found gone: the next call asks once, at once, and does not wait out two probes more.
    const started = performance.now();
    await expect(store.schools.load(uniqueId("gone"))).rejects.toBeInstanceOf(StoreUnavailable);
    expect(probes).toBe(3);
    expect(performance.now() - started).toBeLessThan(250);
    // Back (the probe answers): calls are watched as before, not refused.
    alive = true;
    const back = store.campaigns.find(uniqueId("back"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(probes).toBe(4);
    back.catch(() => {}); // the client still retries port 9: the call is left to the store's close
  });

  it("stops probing once a call has settled, even with a probe in flight", async () => {
    const db = createFirestore({ projectId: "demo-dienhinh", emulatorHost: inject("firestoreHost") });
    let probes = 0;
    // A slow probe that answers: the call settles while it is out.
    const store = firestoreStore(db, "alive", {
      probe: () => {
        probes++;
        return new Promise((resolve) => setTimeout(() => resolve(true), 40));
      },
      probeEveryMs: 1,
    });
    stores.push(store);
    await store.campaigns.find(uniqueId("there"));
    const after = probes;
    expect(after).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(probes).toBe(after);
  });
});
