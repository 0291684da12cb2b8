import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { GoogleAuth } from "google-auth-library";
import { type AppDeps, cachedSchools, type Logger, type SheetsAccess } from "./app/deps.js";
import type { ReportDeps } from "./app/documents.js";
import type { SendDeps } from "./app/send-deps.js";
import { localStatusLinks, type StatusLinks, signedStatusLinks } from "./app/status-page.js";
import type { Config, MailConfig } from "./config.js";
import { loadSheetLayout } from "./data/sheet-layout-file.js";
import type { SheetLayout } from "./domain/sheet-layout.js";
import { InputError } from "./errors.js";
import { type RunningEmulator, startEmulator } from "./infra/emulators.js";
import { delegatedAuth } from "./infra/google/delegation.js";
import { type FormsGateway, googleFormsGateway, localAuth } from "./infra/google/forms.js";
import { googleSheetsGateway } from "./infra/google/sheets.js";
import { jsonLogger, silentLogger } from "./infra/log.js";
import { fileTransport, gmailTransport, type MailTransport, smtpTransport } from "./infra/mail/mailer.js";
import { checkChromium, PdfRenderer } from "./infra/render/pdf.js";
import { driveReportStore, localReportStore, type ReportStore } from "./infra/report-store.js";
import { googleSheetTarget, xlsxTarget } from "./infra/sheet-target.js";
import { createFirestore } from "./infra/store/firestore.js";
import { firestoreStore, type Store } from "./infra/store/index.js";
import { loadTemplates, type Templates } from "./infra/templates.js";
import { workbookToXlsx } from "./infra/xlsx-workbook.js";

/**
 * The composition root: the one place adapters are chosen and built, from the validated
 * configuration, for the Cloud Functions, every command, the local run and the delivery job.
 * Google's APIs, or the local server DIENHINH_GOOGLE_ROOT_URL names; Firestore, or its emulator;
 * mail by SMTP, Gmail or .eml files; PDFs in a Drive folder or under out/.
 */
export interface BuildOptions {
  /** Start a Firestore emulator for this process when none is configured (the local run). */
  ephemeralStore?: boolean;
  /**
   * Everything stays on this computer whatever the environment says: mail as .eml files, PDFs as
   * files (the local run, which may use an office's real registry, must never reach a school).
   */
  localOnly?: boolean;
  /** Where local files go (PDFs in reports/, mail in outbox/). */
  outDir?: string;
  /** Links to local PDFs are relative to this folder (the workbook's), so it can be moved. */
  linkFrom?: string;
  log?: Logger;
  /** Log JSON lines with a severity (Cloud Logging's shape) to this writer. */
  logTo?: (line: string) => void;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** How long a campaign's registry is cached (ms). The functions keep it 30 s; commands not at all. */
  schoolsTtlMs?: number;
}

export interface Deps extends AppDeps {
  config: Config;
  sheets: SheetsAccess;
  /** An .xlsx workbook the office keeps instead of a Google Sheet. */
  xlsxTarget: typeof xlsxTarget;
  forms: FormsGateway;
  /** The deployment's tracking-sheet layout (a campaign may have its own). */
  layout: SheetLayout;
  /** What the documents and mail use cases need, with the given time zone for printed dates. */
  reports(timeZone: string): Promise<ReportDeps>;
  sending(timeZone: string, options?: Pick<SendDeps, "resendUnknown">): Promise<SendDeps>;
  xlsx: typeof workbookToXlsx;
  /** Stops what was started (the browser, an emulator) and closes the store. */
  close(): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const buildDeps = async (config: Config, options: BuildOptions = {}): Promise<Deps> => {
  const clock = options.clock ?? (() => new Date());
  const wait = options.sleep ?? sleep;
  const outDir = options.outDir ?? "out";
  const log = options.log ?? (options.logTo ? jsonLogger(options.logTo) : silentLogger);
  const layout = await loadSheetLayout();
  const store = await openStore(config, options.ephemeralStore ?? false, wait);
  const google = googleOptions(config);
  const forms = googleFormsGateway(google);
  const sheetsGateway = googleSheetsGateway(google);
  let renderer: PdfRenderer | undefined;
  let templates: Promise<Templates> | undefined;
  const reports = async (timeZone: string): Promise<ReportDeps> => {
    if (!renderer) {
      checkChromium(config.chromiumPath);
      renderer = new PdfRenderer({ executablePath: config.chromiumPath });
    }
    templates ??= loadTemplates();
    return {
      store,
      clock,
      sleep: wait,
      log,
      renderer,
      templates: await templates,
      files: reportFiles(
        options.localOnly ? { ...config, driveFolder: undefined } : config,
        outDir,
        options.linkFrom,
      ),
      timeZone,
    };
  };
  return {
    config,
    store,
    forms,
    sheets: {
      gateway: sheetsGateway,
      layout,
      target: (spreadsheetId) => googleSheetTarget(sheetsGateway, spreadsheetId, config.sheetPacing),
    },
    xlsxTarget,
    layout,
    clock,
    sleep: wait,
    log,
    schools: cachedSchools(store, clock, options.schoolsTtlMs ?? 0),
    reports,
    sending: async (timeZone, extra = {}) => ({
      ...(await reports(timeZone)),
      transport: mailTransport(
        options.localOnly ? { kind: "file" } : config.mail,
        config.googleRootUrl,
        outDir,
      ),
      dailyLimit: config.mailDailyLimit,
      ...statusLinksOf(config, store, options),
      ...extra,
    }),
    xlsx: workbookToXlsx,
    close: async () => {
      await renderer?.close();
      await store.close();
    },
  };
};

/**
 * The schools' links in their emails: the local run's own pages (file: URLs, as the office's copy
 * of its report links files), or links signed for the status function's URL, with each campaign's
 * key (made with its first link). Neither: the emails carry no link.
 */
const statusLinksOf = (config: Config, store: Store, options: BuildOptions): { statusLink?: StatusLinks } =>
  options.localOnly
    ? { statusLink: localStatusLinks(options.outDir ?? "out") }
    : config.statusUrl
      ? {
          statusLink: signedStatusLinks(store, config.statusUrl, () => randomBytes(32).toString("base64url")),
        }
      : {};

/** Google's APIs with the process's credentials, or a local server speaking their REST paths. */
const googleOptions = (config: Config) =>
  config.googleRootUrl ? { rootUrl: config.googleRootUrl, auth: localAuth() } : {};

/**
 * Firestore: the emulator FIRESTORE_EMULATOR_HOST names, the project's, or (`ephemeral`) an
 * emulator started for this process alone.
 */
const openStore = async (
  config: Config,
  ephemeral: boolean,
  wait: (ms: number) => Promise<void>,
): Promise<Store> => {
  if (config.firestoreEmulator) {
    const db = createFirestore({
      projectId: config.project ?? "demo-dienhinh",
      emulatorHost: config.firestoreEmulator,
    });
    return firestoreStore(db, `Firestore emulator ${config.firestoreEmulator}`, {
      sleep: wait,
      probe: emulatorAnswers(config.firestoreEmulator),
    });
  }
  if (config.project && !ephemeral)
    return firestoreStore(
      createFirestore({ projectId: config.project }),
      `Firestore của dự án ${config.project}`,
      { sleep: wait },
    );
  if (!ephemeral)
    throw new InputError(
      "Chưa chọn nơi lưu dữ liệu. Đặt GOOGLE_CLOUD_PROJECT (Firestore thật), hoặc chạy `dienhinh emulator` " +
        "rồi đặt FIRESTORE_EMULATOR_HOST theo địa chỉ nó in ra.",
    );
  const emulator: RunningEmulator = await startEmulator(
    "firestore",
    config.sdkRoot ? { sdkRoot: config.sdkRoot } : {},
  );
  const store = firestoreStore(
    createFirestore({ projectId: "demo-dienhinh", emulatorHost: emulator.host }),
    `Firestore emulator tạm thời ${emulator.host}`,
    { sleep: wait, probe: emulatorAnswers(emulator.host) },
  );
  return {
    ...store,
    close: async () => {
      await store.close();
      await emulator.stop();
    },
  };
};

/** Whether the emulator still answers on its HTTP port (it serves "Ok" at its root). */
const emulatorAnswers = (host: string) => async () =>
  (await fetch(`http://${host}/`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.ok ===
  true;

export const GMAIL_SEND_SCOPE = "https://www.googleapis.com/auth/gmail.send";

/** How mail leaves: .eml files in OUT/outbox, an SMTP relay, or the Gmail API as the office mailbox. */
export const mailTransport = (
  mail: MailConfig,
  googleRootUrl: string | undefined,
  outDir: string,
): MailTransport => {
  switch (mail.kind) {
    case "file":
      return fileTransport(join(outDir, "outbox"));
    case "smtp":
      return smtpTransport({
        host: mail.host,
        port: mail.port,
        ...(mail.user ? { user: mail.user } : {}),
        ...(mail.pass ? { pass: mail.pass } : {}),
        ignoreTLS: mail.insecure,
      });
    case "gmail":
      return gmailTransport({
        sender: mail.sender,
        auth: googleRootUrl
          ? localAuth()
          : delegatedAuth({ subject: mail.sender, scopes: [GMAIL_SEND_SCOPE] }),
        ...(googleRootUrl ? { rootUrl: googleRootUrl } : {}),
      });
  }
};

/** Where the PDFs go: a Drive folder (a deployment), or files in OUT/reports. */
export const reportFiles = (config: Config, outDir: string, linkFrom?: string): ReportStore =>
  config.driveFolder
    ? driveReportStore(config.driveFolder, {
        ...(config.googleRootUrl
          ? { rootUrl: config.googleRootUrl, auth: localAuth() }
          : // The whole Drive scope: the folder is the office's, shared with the service account,
            // and drive.file sees only files the app itself created. The account sees only what is shared.
            { auth: new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/drive"] }) }),
      })
    : localReportStore(join(outDir, "reports"), linkFrom === undefined ? {} : { linkFrom });
