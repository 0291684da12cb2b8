import type { GoogleAuth, OAuth2Client } from "google-auth-library";
// One API's module, not googleapis' index of every Google API: a faster cold start and build.
import {
  type forms_v1,
  forms as formsApi,
  auth as googleAuth,
} from "googleapis/build/src/apis/forms/index.js";
import type { FormSpec } from "../../domain/form-spec.js";
import type { FormItemRequest } from "../../domain/form-sync.js";
import type { FormResponse } from "../../domain/intake.js";
import { guardGoogle } from "./errors.js";

/** What dienhinh needs of the Google Forms API; the googleapis adapter below, or a test double. */
export interface FormsGateway {
  /** Create a form, then add its settings and items in one batchUpdate. Returns the form as stored. */
  create(spec: FormSpec): Promise<FormSpec & { formId: string }>;
  get(formId: string): Promise<FormSpec & { formId: string; accepting?: boolean }>;
  /** Every response submitted after `since` (RFC 3339), all pages. */
  listResponses(formId: string, since?: string): Promise<FormResponse[]>;
  /** One response (`forms.responses.get`), or undefined when the form has no such response. */
  getResponse(formId: string, responseId: string): Promise<FormResponse | undefined>;
  createWatch(formId: string, topicName: string): Promise<Watch>;
  renewWatch(formId: string, watchId: string): Promise<Watch>;
  listWatches(formId: string): Promise<Watch[]>;
  /** Open or close a published form to responses (`forms.setPublishSettings`); it stays published. */
  setAcceptingResponses(formId: string, accepting: boolean): Promise<void>;
  /** Replace the form's description (`batchUpdate` › `updateFormInfo`), where a closed form says why. */
  setDescription(formId: string, description: string): Promise<void>;
  /**
   * Create, delete or update items in one `batchUpdate` (form-sync.ts, form-revision.ts), applied
   * in order: each request's index is the one after the requests before it.
   */
  updateItems(formId: string, requests: readonly FormItemRequest[]): Promise<void>;
}

export interface Watch {
  id: string;
  topicName: string;
  expireTime: string;
  state?: string;
}

export const FORMS_SCOPES = [
  "https://www.googleapis.com/auth/forms.body",
  "https://www.googleapis.com/auth/forms.responses.readonly",
  "https://www.googleapis.com/auth/drive.file",
];

export interface GoogleClientOptions {
  /** Points the client at another server speaking Google's REST paths (tests, local runs). */
  rootUrl?: string;
  auth?: OAuth2Client | GoogleAuth;
}

/** A client that sends a fixed token: for local servers that speak Google's REST paths. */
export const localAuth = (): OAuth2Client => {
  const client = new googleAuth.OAuth2();
  client.setCredentials({ access_token: "local", expiry_date: Date.now() + 10 * 365 * 24 * 3600 * 1000 });
  return client;
};

const asSpec = (form: forms_v1.Schema$Form): FormSpec & { formId: string; accepting?: boolean } => ({
  ...(form as FormSpec),
  formId: form.formId ?? "",
  // Legacy forms have no publish settings: they take responses unless closed by hand.
  ...(form.publishSettings?.publishState
    ? {
        accepting:
          form.publishSettings.publishState.isPublished === true &&
          form.publishSettings.publishState.isAcceptingResponses === true,
      }
    : {}),
  items: (form.items ?? []) as FormSpec["items"],
  info: {
    title: form.info?.title ?? "",
    ...(form.info?.description ? { description: form.info.description } : {}),
  },
});
const asWatch = (w: forms_v1.Schema$Watch): Watch => ({
  id: w.id ?? "",
  topicName: w.target?.topic?.topicName ?? "",
  expireTime: w.expireTime ?? "",
  ...(w.state ? { state: w.state } : {}),
});

type FormsClient = ReturnType<typeof formsApi>;

/** The HTTP status a googleapis (gaxios) failure carries, if any. */
const statusOf = (error: unknown): number | undefined => {
  const e = error as { response?: { status?: unknown }; status?: unknown } | null;
  const status = e?.response?.status ?? e?.status;
  return typeof status === "number" ? status : undefined;
};

/** Create a form, add its settings and items in one batchUpdate, and publish it. */
const createForm = async (forms: FormsClient, spec: FormSpec): Promise<FormSpec & { formId: string }> => {
  const created = await forms.forms.create({
    requestBody: {
      info: { title: spec.info.title, documentTitle: spec.info.documentTitle ?? spec.info.title },
    },
  });
  const formId = created.data.formId;
  if (!formId) throw new Error("forms.create answered without a formId");
  const requests: forms_v1.Schema$Request[] = [
    { updateFormInfo: { info: { description: spec.info.description ?? "" }, updateMask: "description" } },
    ...(spec.settings?.emailCollectionType
      ? [
          {
            updateSettings: {
              settings: { emailCollectionType: spec.settings.emailCollectionType },
              updateMask: "emailCollectionType",
            },
          },
        ]
      : []),
    ...spec.items.map((item, index) => ({
      createItem: { item: item as forms_v1.Schema$Item, location: { index } },
    })),
  ];
  const updated = await forms.forms.batchUpdate({
    formId,
    requestBody: { requests, includeFormInResponse: true },
  });
  // Forms created through the API in 2026 start unpublished: schools could not open them.
  await forms.forms.setPublishSettings({
    formId,
    requestBody: {
      publishSettings: { publishState: { isPublished: true, isAcceptingResponses: true } },
      updateMask: "*",
    },
  });
  return asSpec(updated.data.form ?? (await forms.forms.get({ formId })).data);
};

export const googleFormsGateway = (options: GoogleClientOptions = {}): FormsGateway => {
  const auth = options.auth ?? new googleAuth.GoogleAuth({ scopes: FORMS_SCOPES });
  const forms = formsApi({
    version: "v1",
    auth,
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });

  return guardGoogle("Google Forms API", {
    create: (spec) => createForm(forms, spec),
    async get(formId) {
      return asSpec((await forms.forms.get({ formId })).data);
    },
    async listResponses(formId, since) {
      const all: FormResponse[] = [];
      let pageToken: string | undefined;
      do {
        const { data } = await forms.forms.responses.list({
          formId,
          pageSize: 5000,
          ...(since ? { filter: `timestamp > ${since}` } : {}),
          ...(pageToken ? { pageToken } : {}),
        });
        all.push(...((data.responses ?? []) as FormResponse[]));
        pageToken = data.nextPageToken ?? undefined;
      } while (pageToken);
      return all;
    },
    async getResponse(formId, responseId) {
      try {
        const { data } = await forms.forms.responses.get({ formId, responseId });
        return { ...(data as FormResponse), formId: data.formId ?? formId };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async createWatch(formId, topicName) {
      const { data } = await forms.forms.watches.create({
        formId,
        requestBody: { watch: { target: { topic: { topicName } }, eventType: "RESPONSES" } },
      });
      return asWatch(data);
    },
    async renewWatch(formId, watchId) {
      return asWatch((await forms.forms.watches.renew({ formId, watchId })).data);
    },
    async listWatches(formId) {
      return ((await forms.forms.watches.list({ formId })).data.watches ?? []).map(asWatch);
    },
    async setAcceptingResponses(formId, accepting) {
      await forms.forms.setPublishSettings({
        formId,
        requestBody: {
          publishSettings: { publishState: { isPublished: true, isAcceptingResponses: accepting } },
          updateMask: "publishState",
        },
      });
    },
    async setDescription(formId, description) {
      await forms.forms.batchUpdate({
        formId,
        requestBody: {
          requests: [{ updateFormInfo: { info: { description }, updateMask: "description" } }],
        },
      });
    },
    async updateItems(formId, requests) {
      if (requests.length === 0) return;
      await forms.forms.batchUpdate({
        formId,
        requestBody: { requests: requests as forms_v1.Schema$Request[] },
      });
    },
  } satisfies FormsGateway);
};
