import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { setupCampaign } from "../../functions/src/app/setup.js";
import { loadCriteriaSet } from "../../functions/src/data/criteria-file.js";
import { loadOfficeProfile } from "../../functions/src/data/office-file.js";
import type { FormBinding } from "../../functions/src/domain/campaign.js";
import { schoolOption } from "../../functions/src/domain/form-spec.js";
import type { School } from "../../functions/src/domain/school.js";
import { googleFormsGateway, localAuth } from "../../functions/src/infra/google/forms.js";
import { silentLogger } from "../../functions/src/infra/log.js";
import { createFirestore } from "../../functions/src/infra/store/firestore.js";
import { firestoreStore, type Store } from "../../functions/src/infra/store/index.js";
import { type FormsServer, startFormsServer } from "../kit/forms-server.js";
import type { Fault, FaultRow } from "./fault.js";
import { type Aim, fire, pick, type Shot, shotsFor } from "./hostile-shots.js";

/**
 * A few thousand hostile requests to the three functions, as `dienhinh serve` runs them (the built
 * package in three Functions Framework processes, the request guard in front): gzip bombs, bodies
 * of 1 to 50 MiB with and without Content-Length, JSON nested 100,000 deep, malformed JSON, wrong
 * types, forged, replayed and future signatures, unknown forms and responses, uploads cut off
 * midway, and among them valid signed notices of real responses. Each function's resident memory
 * is sampled from /proc while it runs. Every valid notice must be answered 200 and stored once
 * (a 5xx is retried, as the Apps Script does), no request may get a 500, and no function may grow
 * past 512 MiB.
 */
const CONCURRENCY = 20;
const VALID = 300;
const SCHOOLS = 60;
const MEMORY_LIMIT_MIB = 512;

/** VmRSS of a process, in MiB (0 once it is gone). */
const rssMiB = (pid: number): number => {
  try {
    const line = /^VmRSS:\s+(\d+) kB$/mu.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return line ? Number(line[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

/** The Functions Framework processes `dienhinh serve` started, by function. */
const functionPids = (parent: number): Map<string, number> => {
  const found = new Map<string, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/u.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== parent) continue;
      const target = /--target=(\w+)/u.exec(readFileSync(`/proc/${entry}/cmdline`, "utf8"))?.[1];
      if (target) found.set(target, Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
};

/** `dienhinh serve --port 0` on the built package: the URLs it prints, once ready. */
const startServe = async (
  firestoreHost: string,
  formsUrl: string,
): Promise<{ child: ChildProcess; urls: Record<string, string> }> => {
  const child = spawn(process.execPath, ["functions/lib/cli/main.js", "serve", "--port", "0"], {
    env: { ...process.env, FIRESTORE_EMULATOR_HOST: firestoreHost, DIENHINH_GOOGLE_ROOT_URL: formsUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c) => {
    output += c;
  });
  child.stderr?.on("data", (c) => {
    output += c;
  });
  const deadline = Date.now() + 60_000;
  while (!output.includes("Ctrl-C")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const urls: Record<string, string> = {};
  for (const [, name, url] of output.matchAll(/^(\w+)\s+(http:\/\/127\.0\.0\.1:\d+\/)\s+\(/gmu))
    urls[name as string] = url as string;
  return { child, urls };
};

const schoolsOf = (n: number): School[] =>
  Array.from({ length: n }, (_, i) => ({
    code: `H-${String(i + 1).padStart(3, "0")}`,
    name: `Trường thử số ${i + 1}`,
    levels: ["tieu-hoc"],
    commune: "Phú Xuân",
    ownership: "cong-lap",
    emails: [`truong${i + 1}@test.example`],
  }));

/** A response of a school as the Forms API holds it: the school chosen, from its registered email. */
const responseOf = (bindings: FormBinding["bindings"], school: School, responseId: string) => {
  const question = bindings.find((b) => b.role === "school")?.questionId ?? "";
  return {
    responseId,
    lastSubmittedTime: new Date(Date.now() - 60_000).toISOString(),
    respondentEmail: school.emails[0] as string,
    answers: {
      [question]: { questionId: question, textAnswers: { answers: [{ value: schoolOption(school) }] } },
    },
  };
};

/** The campaign the valid notices are for: a dossier form on the local Forms server, with its key. */
const prepare = async (store: Store, forms: FormsServer): Promise<Aim> => {
  const campaignId = `faults-hostile-${randomBytes(4).toString("hex")}`;
  const schools = schoolsOf(SCHOOLS);
  const { campaign } = await setupCampaign(
    {
      store,
      forms: googleFormsGateway({ rootUrl: forms.url, auth: localAuth() }),
      log: silentLogger,
      clock: () => new Date(),
    },
    {
      campaignId,
      schoolYear: "2026-2027",
      office: await loadOfficeProfile(),
      criteriaSet: await loadCriteriaSet(),
      schools,
    },
  );
  const form = campaign.forms.dossier as FormBinding;
  const now = new Date();
  const key = { id: "hostile", secret: randomBytes(32).toString("base64url"), createdAt: now.toISOString() };
  await store.campaigns.ensurePushSecret(campaignId, key, { rotate: false, now });
  const valid = Array.from({ length: VALID }, (_, i) => `hop-le-${i + 1}-${randomBytes(3).toString("hex")}`);
  valid.forEach((id, i) => {
    forms.addResponse(form.formId, responseOf(form.bindings, pick(schools, i), id));
  });
  return { campaignId, formId: form.formId, secret: key.secret, valid };
};

interface Tally {
  sent: number;
  answers: Map<string, Map<string, number>>;
  validOk: Set<string>;
  errors500: number;
  unanswered: number;
}

/** Fire every shot, `CONCURRENCY` at a time; a valid notice answered 5xx (or not) is sent again. */
const barrage = async (urls: Record<string, string>, shots: Array<() => Shot>): Promise<Tally> => {
  const tally: Tally = { sent: 0, answers: new Map(), validOk: new Set(), errors500: 0, unanswered: 0 };
  let next = 0;
  const worker = async () => {
    while (next < shots.length) {
      const make = shots[next++] as () => Shot;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const shot = make();
        const answer = await fire(urls[shot.target] as string, shot);
        tally.sent++;
        const byKind = tally.answers.get(shot.kind) ?? new Map<string, number>();
        byKind.set(String(answer.status), (byKind.get(String(answer.status)) ?? 0) + 1);
        tally.answers.set(shot.kind, byKind);
        if (answer.status === 500) tally.errors500++;
        if (answer.status === "no answer" && shot.abortAfter === undefined) tally.unanswered++;
        const again = answer.status === "no answer" || answer.status === 429 || Number(answer.status) >= 500;
        if (shot.valid && answer.status === 200) tally.validOk.add(shot.valid);
        if (!shot.valid || !again) break;
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return tally;
};

/** Sample each function's resident memory every 25 ms until stopped: the peak of each, in MiB. */
const sampleMemory = (pids: Map<string, number>) => {
  const peaks = new Map([...pids.keys()].map((name) => [name, 0]));
  const timer = setInterval(() => {
    for (const [name, pid] of pids) peaks.set(name, Math.max(peaks.get(name) ?? 0, rssMiB(pid)));
  }, 25);
  return {
    stop: () => {
      clearInterval(timer);
      return peaks;
    },
  };
};

/** The run, saying what each kind of request got (`report`), and the rows. */
export const runHostile = async (
  context: { firestoreHost: string },
  report: (line: string) => void = () => {},
): Promise<FaultRow[]> => {
  const forms = await startFormsServer();
  const store = firestoreStore(
    createFirestore({ projectId: "demo-dienhinh", emulatorHost: context.firestoreHost }),
    "faults",
  );
  let serve: ChildProcess | undefined;
  try {
    const aim = await prepare(store, forms);
    const started = await startServe(context.firestoreHost, forms.url);
    serve = started.child;
    const pids = functionPids(serve.pid as number);
    const before = new Map([...pids].map(([name, pid]) => [name, rssMiB(pid)]));
    const memory = sampleMemory(pids);
    const t0 = Date.now();
    const tally = await barrage(started.urls, shotsFor(aim));
    const peaks = memory.stop();
    const seconds = (Date.now() - t0) / 1000;
    const stored = await Promise.all(
      aim.valid.map((id) => store.submissions.list(aim.campaignId, { responseId: id })),
    );
    return rowsOf(
      tally,
      aim,
      stored.map((s) => s.length),
      peaks,
      { before, seconds, report },
    );
  } finally {
    if (serve && serve.exitCode === null) {
      serve.kill("SIGTERM");
      await new Promise((r) => serve?.once("exit", r));
    }
    await forms.close();
    await store.close();
  }
};

/** The rows: the valid notices (delivered once each, memory bounded), and the answers (no 500). */
const rowsOf = (
  tally: Tally,
  aim: Aim,
  storedCounts: number[],
  peaks: Map<string, number>,
  info: { before: Map<string, number>; seconds: number; report: (line: string) => void },
): FaultRow[] => {
  const delivered = aim.valid.filter((id, i) => tally.validOk.has(id) && (storedCounts[i] ?? 0) >= 1).length;
  const duplicated = storedCounts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const peak = Math.max(...peaks.values());
  const round = (n: number) => Math.round(n * 10) / 10;
  for (const [kind, statuses] of tally.answers)
    info.report(`${kind.padEnd(36)} ${[...statuses].map(([s, n]) => `${s}×${n}`).join(" ")}`);
  for (const [name, mib] of peaks)
    info.report(`${name.padEnd(16)} ${round(info.before.get(name) ?? 0)} MiB before, peak ${round(mib)} MiB`);
  info.report(`${tally.sent} requests in ${round(info.seconds)} s`);
  // Every request sent must be answered, but the uploads cut off on purpose.
  const expectedAnswers = tally.sent - countOf(tally, "cut off mid-body");
  const answered = expectedAnswers - tally.unanswered - tally.errors500;
  return [
    {
      fault: "a few thousand hostile requests to the three functions",
      attempts: tally.sent,
      expected: aim.valid.length,
      delivered,
      duplicated,
      lost: aim.valid.length - delivered,
      measure: {
        name: "peak memory of a function",
        value: round(peak),
        unit: "MiB",
        limit: MEMORY_LIMIT_MIB,
      },
      ok:
        delivered === aim.valid.length &&
        duplicated === 0 &&
        tally.errors500 === 0 &&
        peak < MEMORY_LIMIT_MIB,
    },
    {
      fault: "a few thousand hostile requests: answers that are HTTP 500",
      attempts: tally.sent,
      expected: expectedAnswers,
      delivered: answered,
      lost: expectedAnswers - answered,
      measure: { name: "HTTP 500 answers", value: tally.errors500, unit: "answers", limit: 0 },
      ok: tally.errors500 === 0 && tally.unanswered === 0,
    },
  ];
};

const countOf = (tally: Tally, kind: string): number =>
  [...(tally.answers.get(kind)?.values() ?? [])].reduce((a, b) => a + b, 0);

export const hostileFault: Fault = {
  name: "hostile",
  run: (context) => runHostile(context),
};
