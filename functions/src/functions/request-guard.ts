import http, {
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import { RequestError } from "../errors.js";
import type { FunctionName } from "./register.js";

/**
 * The request guard: what every function's HTTP server does with a request before the Functions
 * Framework sees it. The framework's body parsers inflate gzip and accept bodies up to 1 GB, all
 * before our handler runs (398 KiB of gzip once took a process from 91 MiB to 1.3 GiB). So the
 * guard refuses compressed bodies, refuses a body over the function's limit before it is read
 * whole (by its Content-Length, or counting while it arrives), reads it, parses JSON itself (a
 * refusal is our own JSON `{ "error": … }`, never the framework's HTML page or a stack) and hands
 * the request on read: `req.body`, `req.rawBody`, and the stream ended, which body-parser takes as
 * "already parsed" (body-parser 2 checks that the stream is finished; 1.x checked `req._body`,
 * which is set too).
 */
export interface GuardPolicy {
  /** The largest body accepted, in bytes. */
  maxBytes: number;
  /** The media types a body may have (lower case, no parameters); undefined: any. */
  types?: readonly string[];
  /** The methods taken (others: 405); undefined: the handler decides. */
  methods?: readonly string[];
  /** The body must be a JSON object (the framework's event middleware breaks on anything else). */
  objectBody?: boolean;
}

const KIB = 1024;
export const GUARD_POLICIES: Readonly<Record<FunctionName, GuardPolicy>> = {
  // A notice of two ids: a few hundred bytes.
  ingestResponse: { maxBytes: 16 * KIB, types: ["application/json"] },
  // Cloud Scheduler sends no body (or an empty one, of any type).
  reconcile: { maxBytes: 16 * KIB },
  // A Pub/Sub message as a CloudEvent, binary or structured: attributes only.
  onFormResponses: {
    maxBytes: 1024 * KIB,
    types: ["application/json", "application/cloudevents+json"],
    methods: ["POST"],
    objectBody: true,
  },
  // A school opening its link: a GET, no body.
  statusPage: { maxBytes: 1 * KIB, methods: ["GET", "HEAD"] },
};

/** JSON nested deeper than this is refused before it is parsed (real bodies are under 10 deep). */
export const MAX_JSON_DEPTH = 64;
/** A body must arrive within this; a refused one is thrown away for at most this long, or this much. */
const READ_TIMEOUT_MS = 30_000;
const DRAIN_MS = 10_000;
const DRAIN_MAX_BYTES = 64 * 1024 * KIB;

/** A request the guard answers itself, with its status. */
export class RefusedRequest extends RequestError {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export type GuardedRequest = IncomingMessage & { body?: unknown; rawBody?: Buffer; _body?: boolean };

const policyOf = (target: string | undefined): GuardPolicy =>
  target !== undefined && Object.hasOwn(GUARD_POLICIES, target)
    ? GUARD_POLICIES[target as FunctionName]
    : // Not one of ours: the largest limit, JSON only.
      GUARD_POLICIES.onFormResponses;

const show = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** The media type and charset of a Content-Type header. */
const contentTypeOf = (req: IncomingMessage): { type: string; charset?: string } => {
  const [type = "", ...params] = (req.headers["content-type"] ?? "").split(";");
  const charset = params
    .map((p) => p.trim().split("="))
    .find(([k]) => k?.trim().toLowerCase() === "charset")?.[1];
  return {
    type: type.trim().toLowerCase(),
    ...(charset ? { charset: charset.trim().replace(/^"|"$/gu, "").toLowerCase() } : {}),
  };
};

const isJson = (type: string) => type === "application/json" || type.endsWith("+json");

const hasBody = (req: IncomingMessage) =>
  req.headers["transfer-encoding"] !== undefined ||
  (req.headers["content-length"] !== undefined && Number(req.headers["content-length"]) > 0);

/** What the headers alone say is refused: a compressed body, one declared too large, another type. */
const refusalOfHeaders = (req: IncomingMessage, policy: GuardPolicy): RefusedRequest | undefined => {
  if (policy.methods && !policy.methods.includes(req.method ?? ""))
    return new RefusedRequest(405, `Chỉ nhận phương thức ${policy.methods.join(", ")}.`, {
      allow: policy.methods.join(", "),
    });
  const encoding = (req.headers["content-encoding"] ?? "").trim().toLowerCase();
  if (encoding !== "" && encoding !== "identity")
    return new RefusedRequest(
      415,
      `Không nhận dữ liệu nén (Content-Encoding: ${show(encoding)}); hãy gửi dữ liệu không nén.`,
    );
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > policy.maxBytes)
    return new RefusedRequest(413, `Dữ liệu quá lớn (${declared} byte, tối đa ${policy.maxBytes}).`);
  if (!hasBody(req)) return undefined;
  const { type, charset } = contentTypeOf(req);
  if (policy.types && !policy.types.includes(type))
    return new RefusedRequest(
      415,
      `Content-Type phải là ${policy.types.join(" hoặc ")} (nhận được: ${show(type) || "không có"}).`,
    );
  if (charset !== undefined && isJson(type) && charset !== "utf-8" && charset !== "utf8")
    return new RefusedRequest(415, `Dữ liệu JSON phải là UTF-8 (nhận được: ${show(charset)}).`);
  return undefined;
};

/** The whole body, counted as it arrives: refused (and not kept) once over `maxBytes`. */
export const readBody = (req: IncomingMessage, maxBytes: number): Promise<Buffer> =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error: unknown, body?: Buffer) => {
      clearTimeout(timer);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      if (body) resolve(body);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes)
        return done(new RefusedRequest(413, `Dữ liệu quá lớn (hơn ${maxBytes} byte, tối đa ${maxBytes}).`));
      chunks.push(chunk);
    };
    const onEnd = () => done(undefined, Buffer.concat(chunks, size));
    const onError = (error: unknown) => done(error);
    const onClose = () => done(new Error("request closed before its body ended"));
    const timer = setTimeout(
      () => done(new RefusedRequest(408, "Dữ liệu gửi quá chậm; hãy gửi lại.")),
      READ_TIMEOUT_MS,
    );
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    req.once("close", onClose);
  });

/** Whether JSON text nests deeper than `max` (counted on the bytes, strings skipped). */
export const nestsDeeperThan = (raw: Buffer, max: number): boolean => {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A JSON body parsed, or why it is not JSON we take. */
const parseJsonBody = (raw: Buffer): unknown => {
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH))
    throw new RefusedRequest(400, `Dữ liệu JSON lồng quá sâu (tối đa ${MAX_JSON_DEPTH} cấp).`);
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new RefusedRequest(400, "Dữ liệu không phải văn bản UTF-8 hợp lệ.");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RefusedRequest(400, `Dữ liệu không phải JSON hợp lệ: ${show((error as Error).message)}`);
  }
};

/** The request as the framework's parsers would have left it: read, with its body and raw bytes. */
const handOn = (req: GuardedRequest, raw: Buffer, policy: GuardPolicy): void => {
  const { type } = contentTypeOf(req);
  const body = isJson(type)
    ? raw.length === 0
      ? {}
      : parseJsonBody(raw)
    : raw.length === 0
      ? undefined
      : raw;
  if (
    policy.objectBody &&
    (raw.length === 0 || typeof body !== "object" || body === null || Array.isArray(body))
  )
    throw new RefusedRequest(400, "Cần một đối tượng JSON: một CloudEvent, hoặc thông báo Pub/Sub.");
  req.body = body;
  req.rawBody = raw;
  req._body = true;
};

/** Our JSON answer to a refused request, unless one was already sent. */
const answer = (res: ServerResponse, refusal: RefusedRequest): void => {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ error: refusal.publicMessage });
  res.writeHead(refusal.status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    ...refusal.headers,
  });
  res.end(body);
};

/**
 * Answer a refused request with our JSON. What the client still sends of a body is thrown away as
 * it arrives (never kept), so it reads the answer rather than a reset; past a while or a size, the
 * connection is cut.
 */
const refuse = (req: IncomingMessage, res: ServerResponse, error: unknown): void => {
  answer(
    res,
    error instanceof RefusedRequest ? error : new RefusedRequest(400, "Yêu cầu bị ngắt giữa chừng."),
  );
  if (req.complete || req.destroyed) return;
  let drained = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DRAIN_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_MAX_BYTES) cut();
  });
  req.once("close", () => clearTimeout(timer));
  req.resume();
};

/** A request listener that takes only what passes the guard, read and parsed. */
export const guardRequests = (listener: RequestListener, target: string | undefined): RequestListener => {
  const policy = policyOf(target);
  return (req, res) => {
    const refusal = refusalOfHeaders(req, policy);
    if (refusal) return refuse(req, res, refusal);
    readBody(req, policy.maxBytes).then(
      (raw) => {
        try {
          handOn(req as GuardedRequest, raw, policy);
        } catch (error) {
          return refuse(req, res, error);
        }
        listener(req, res);
      },
      (error: unknown) => refuse(req, res, error),
    );
  };
};

/**
 * The last error handler of the framework's Express app: what its own middleware throws on a
 * request it cannot read (an event whose `context` is a number, a background event of an unknown
 * type) is the request's fault, answered 400 in our JSON rather than Express's page with a stack.
 * Our functions' own failures never get here: the framework answers those itself.
 */
const frameworkError = (_error: unknown, _req: IncomingMessage, res: ServerResponse, _next: unknown): void =>
  answer(res, new RefusedRequest(400, "Yêu cầu không đúng định dạng mà hàm nhận (CloudEvent hoặc JSON)."));

/** Put the guard in front of a server's request listeners (the framework's Express app), and its errors ours. */
export const guardServer = <T extends Server>(server: T, target: string | undefined): T => {
  const listeners = server.listeners("request") as Array<
    RequestListener & { use?: (handler: unknown) => unknown }
  >;
  server.removeAllListeners("request");
  for (const listener of listeners) {
    if (typeof listener.use === "function") listener.use(frameworkError);
    server.on("request", guardRequests(listener, target));
  }
  return server;
};

/**
 * Guard the server the Functions Framework is about to create. The framework loads the functions
 * (index.ts) before it calls `http.createServer(app)` (build/src/main.js, then server.js), so the
 * entry point wraps `createServer` once: the next server made with a request listener is guarded,
 * and `createServer` is itself again.
 */
export const installRequestGuard = (target: string | undefined): void => {
  const httpModule = http as { createServer: typeof http.createServer };
  const original = httpModule.createServer;
  httpModule.createServer = ((...args: Parameters<typeof http.createServer>) => {
    const server = Reflect.apply(original, http, args) as Server;
    if (server.listenerCount("request") === 0) return server;
    httpModule.createServer = original;
    return guardServer(server, target);
  }) as typeof http.createServer;
};
