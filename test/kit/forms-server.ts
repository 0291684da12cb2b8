import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RecordedRequest } from "./google-errors.js";

/**
 * A local server that answers the Google Forms API v1 REST paths googleapis calls, keeps forms,
 * responses and watches in memory, and can be told to fail. Point a client at it with `rootUrl`.
 */
export interface StoredResponse {
  responseId: string;
  createTime?: string;
  lastSubmittedTime: string;
  respondentEmail?: string;
  answers: Record<string, unknown>;
}

interface StoredForm {
  formId: string;
  info: Record<string, unknown>;
  settings: Record<string, unknown>;
  items: Array<Record<string, unknown>>;
  revisionId: string;
  responderUri: string;
  responses: StoredResponse[];
  /** Since 2026 a form created through the API starts unpublished. */
  publishSettings: { publishState: { isPublished: boolean; isAcceptingResponses: boolean } };
  /** Drive permissions on the form (a form is a Drive file): who it is shared with. */
  permissions: Array<Record<string, unknown>>;
  watches: Array<{
    id: string;
    target: unknown;
    eventType: string;
    createTime: string;
    expireTime: string;
    state: string;
  }>;
}

export interface FormsServer {
  url: string;
  forms: Map<string, StoredForm>;
  requests: RecordedRequest[];
  /** Answer the next `count` requests with this status. */
  failNext(count: number, status: number): void;
  addResponse(formId: string, response: StoredResponse): void;
  /**
   * A school sends a response through the form's page: refused, as Google's page refuses it, while
   * the form does not accept responses (unpublished or closed). Returns whether it was taken.
   */
  submit(formId: string, response: StoredResponse): boolean;
  /** Whether the form accepts responses now (its publish state). */
  accepting(formId: string): boolean;
  close(): Promise<void>;
}

const hex = (n: number) => randomBytes(n).toString("hex");

export const startFormsServer = async (options: { now?: () => Date } = {}): Promise<FormsServer> => {
  const now = options.now ?? (() => new Date());
  const forms = new Map<string, StoredForm>();
  const requests: RecordedRequest[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 0 };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://local");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? JSON.parse(text) : undefined;
    requests.push({ method: req.method ?? "", path: url.pathname, query: url.searchParams, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    const error = (status: number, message: string) =>
      send(status, {
        error: { code: status, message, status: status === 404 ? "NOT_FOUND" : "INVALID_ARGUMENT" },
      });
    if (failures.count > 0) {
      failures.count--;
      return error(failures.status, "injected failure");
    }
    const path = url.pathname;
    if (req.method === "POST" && path === "/v1/forms") {
      const formId = `form-${hex(6)}`;
      const form: StoredForm = {
        formId,
        info: {
          title: body?.info?.title ?? "",
          documentTitle: body?.info?.documentTitle ?? body?.info?.title ?? "",
        },
        settings: {},
        items: [],
        revisionId: "00000001",
        responderUri: `https://docs.google.com/forms/d/e/${formId}/viewform`,
        responses: [],
        publishSettings: { publishState: { isPublished: false, isAcceptingResponses: false } },
        permissions: [],
        watches: [],
      };
      forms.set(formId, form);
      return send(200, view(form));
    }
    // Drive's permissions.create on a form (the google.ts front routes a form's id here).
    const drive = /^\/drive\/v3\/files\/([^/]+)\/permissions$/u.exec(path);
    if (drive) {
      const form = forms.get(decodeURIComponent(drive[1] ?? ""));
      if (!form) return error(404, "File not found.");
      if (req.method === "GET") return send(200, { permissions: form.permissions });
      if (!body?.type || !body?.role || !body?.emailAddress)
        return error(400, "type, role and emailAddress are required.");
      const permission = { kind: "drive#permission", id: hex(5), ...body };
      form.permissions.push(permission);
      return send(200, permission);
    }
    const m = /^\/v1\/forms\/([^/:]+)(.*)$/u.exec(path);
    if (m) {
      const form = forms.get(decodeURIComponent(m[1] ?? ""));
      if (!form) return error(404, "Requested entity was not found.");
      const rest = m[2] ?? "";
      if (req.method === "GET" && rest === "") return send(200, view(form));
      if (req.method === "POST" && rest === ":setPublishSettings") {
        const state = body?.publishSettings?.publishState;
        if (typeof state?.isPublished !== "boolean" || !body?.updateMask)
          return error(400, "publishSettings.publishState and updateMask are required.");
        form.publishSettings = {
          publishState: {
            isPublished: state.isPublished,
            isAcceptingResponses: state.isPublished && state.isAcceptingResponses === true,
          },
        };
        return send(200, { formId: form.formId, publishSettings: form.publishSettings });
      }
      if (req.method === "POST" && rest === ":batchUpdate") {
        // Atomic, as Google's: a refused request leaves the form as it was.
        const replies: unknown[] = [];
        const items = structuredClone(form.items);
        const info = structuredClone(form.info);
        const settings = structuredClone(form.settings);
        for (const request of body?.requests ?? []) {
          const done = applyItemRequest(items, request);
          if (done && "error" in done) return error(400, done.error);
          if (done) replies.push(done.reply);
          else if (request.updateFormInfo) {
            Object.assign(info, request.updateFormInfo.info);
            replies.push({});
          } else if (request.updateSettings) {
            Object.assign(settings, request.updateSettings.settings);
            replies.push({});
          } else {
            return error(400, `Unsupported request ${Object.keys(request).join(",")}`);
          }
        }
        Object.assign(form, { items, info, settings });
        form.revisionId = String(Number(form.revisionId) + 1).padStart(8, "0");
        return send(200, {
          replies,
          writeControl: { requiredRevisionId: form.revisionId },
          ...(body?.includeFormInResponse ? { form: view(form) } : {}),
        });
      }
      if (req.method === "GET" && rest === "/responses") {
        const filter = url.searchParams.get("filter");
        const since = filter ? /^timestamp\s*>\s*(\S+)$/u.exec(filter)?.[1] : undefined;
        if (filter && !since) return error(400, `Invalid filter: ${filter}`);
        const matching = form.responses
          .filter((r) => !since || Date.parse(r.lastSubmittedTime) > Date.parse(since))
          .sort((a, b) => a.lastSubmittedTime.localeCompare(b.lastSubmittedTime));
        const pageSize = Math.min(Number(url.searchParams.get("pageSize") ?? 5000), 5000);
        const start = Number(url.searchParams.get("pageToken") ?? 0);
        const page = matching.slice(start, start + pageSize);
        const next = start + pageSize < matching.length ? String(start + pageSize) : undefined;
        return send(200, {
          ...(page.length ? { responses: page.map((r) => ({ formId: form.formId, ...r })) } : {}),
          ...(next ? { nextPageToken: next } : {}),
        });
      }
      const one = /^\/responses\/([^/:]+)$/u.exec(rest);
      if (req.method === "GET" && one) {
        const response = form.responses.find((r) => r.responseId === decodeURIComponent(one[1] ?? ""));
        if (!response) return error(404, "Requested entity was not found.");
        return send(200, { formId: form.formId, ...response });
      }
      if (req.method === "POST" && rest === "/watches") {
        const created = now();
        const watch = {
          id: `watch-${hex(4)}`,
          target: body?.watch?.target,
          eventType: body?.watch?.eventType ?? "RESPONSES",
          createTime: created.toISOString(),
          expireTime: new Date(created.getTime() + 7 * 24 * 3600 * 1000).toISOString(),
          state: "ACTIVE",
        };
        form.watches.push(watch);
        return send(200, watch);
      }
      if (req.method === "GET" && rest === "/watches") return send(200, { watches: form.watches });
      const renew = /^\/watches\/([^/:]+):renew$/u.exec(rest);
      if (req.method === "POST" && renew) {
        const watch = form.watches.find((w) => w.id === renew[1]);
        if (!watch) return error(404, "Watch not found");
        watch.expireTime = new Date(now().getTime() + 7 * 24 * 3600 * 1000).toISOString();
        return send(200, watch);
      }
    }
    return error(404, `No route for ${req.method} ${path}`);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: 500, message: String(e) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const kit: FormsServer = {
    url: `http://127.0.0.1:${port}/`,
    forms,
    requests,
    failNext(count, status) {
      failures = { count, status };
    },
    addResponse(formId, response) {
      const form = forms.get(formId);
      if (!form) throw new Error(`no form ${formId}`);
      form.responses = form.responses.filter((r) => r.responseId !== response.responseId);
      form.responses.push(response);
    },
    submit(formId, response) {
      if (!kit.accepting(formId)) return false;
      kit.addResponse(formId, response);
      return true;
    },
    accepting(formId) {
      const state = forms.get(formId)?.publishSettings.publishState;
      if (!state) throw new Error(`no form ${formId}`);
      return state.isPublished && state.isAcceptingResponses;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return kit;
};

type Item = Record<string, unknown> & { questionItem?: { question?: Record<string, unknown> } };

/**
 * One of Forms' item requests (`createItem`, `deleteItem`, `updateItem`) applied to a form's items
 * as Google does: its reply, or why it is refused; undefined for a request on something else.
 */
export const applyItemRequest = (
  items: Item[],
  // biome-ignore lint/suspicious/noExplicitAny: a request as JSON, checked here as Google checks it
  request: any,
): { reply: unknown } | { error: string } | undefined => {
  if (request.createItem) {
    const item = structuredClone(request.createItem.item) as Item;
    const question = item.questionItem?.question;
    if (question?.fileUploadQuestion)
      return { error: "File upload questions cannot be created with the API." };
    item.itemId = hex(4);
    const questionIds: string[] = [];
    if (question) {
      question.questionId ??= hex(4);
      if (items.some((i) => i.questionItem?.question?.questionId === question.questionId))
        return { error: `Question id ${question.questionId} is already used in the form.` };
      questionIds.push(question.questionId as string);
    }
    const index = request.createItem.location?.index ?? items.length;
    if (!Number.isInteger(index) || index < 0 || index > items.length)
      return { error: `Invalid location index ${index} for createItem.` };
    items.splice(index, 0, item);
    return { reply: { createItem: { itemId: item.itemId, questionId: questionIds } } };
  }
  if (request.deleteItem) {
    const index = request.deleteItem.location?.index;
    if (!Number.isInteger(index) || index < 0 || index >= items.length)
      return { error: `Invalid location index ${index} for deleteItem.` };
    items.splice(index, 1);
    return { reply: {} };
  }
  if (request.updateItem) {
    const problem = updateItem(items, request.updateItem);
    return problem ? { error: problem } : { reply: {} };
  }
  return undefined;
};

/**
 * Forms' `UpdateItemRequest`: the item at `location.index` takes the fields named in `updateMask`
 * (comma-separated paths) from `item`; a path `item` lacks is cleared. Returns why it is refused.
 */
const updateItem = (
  items: Array<Record<string, unknown>>,
  request: { item?: Record<string, unknown>; location?: { index?: number }; updateMask?: string },
): string | undefined => {
  const index = request.location?.index;
  if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= items.length)
    return `Invalid location index ${index} for updateItem.`;
  if (!request.item || !request.updateMask) return "updateItem needs item and updateMask.";
  const target = items[index] as Record<string, unknown>;
  if (request.item.itemId !== undefined && request.item.itemId !== target.itemId)
    return `Item ${String(request.item.itemId)} is not at index ${index}.`;
  for (const path of request.updateMask.split(",").map((p) => p.trim())) {
    const parts = path.split(".");
    const last = parts.pop() as string;
    let from: unknown = request.item;
    for (const part of parts) from = (from as Record<string, unknown> | undefined)?.[part];
    let to = target;
    for (const part of parts) {
      if (typeof to[part] !== "object" || to[part] === null) {
        if (to === target && !(part in target)) return `Cannot update ${path}: the item has no ${part}.`;
        to[part] = {};
      }
      to = to[part] as Record<string, unknown>;
    }
    const value = (from as Record<string, unknown> | undefined)?.[last];
    if (value === undefined) delete to[last];
    else to[last] = structuredClone(value);
  }
  return undefined;
};

const view = ({ responses: _r, watches: _w, permissions: _p, ...form }: StoredForm) => form;
