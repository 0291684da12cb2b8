import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, invalid, type Obj, type RecordedRequest, STATUS } from "./google-errors.js";

/**
 * A local server that answers the Drive v3 `files` paths (create, list, get, update, delete, media
 * uploads included) and Gmail v1 `users.messages.send` as googleapis calls them, keeps files and
 * sent messages in memory, records every request and can be told to fail. Point a client at it
 * with `rootUrl: server.url`.
 *
 * googleapis builds the URL of a media upload (`/upload/...`) from the *per-call* options only:
 * `drive({ rootUrl })` is ignored there and the upload goes to https://www.googleapis.com. Pass
 * the root again per call: `drive.files.create({ ..., media }, { rootUrl })`.
 *
 * Like Drive, answers carry only the fields asked for with `fields` (`id,webViewLink`,
 * `files(id,name),nextPageToken`, `*`); without it a file is `kind,id,name,mimeType` and a list
 * `kind,incompleteSearch,files(kind,id,name,mimeType)` plus `nextPageToken`.
 *
 * Like Drive, an upload whose metadata names a Google editors type (`mimeType:
 * "application/vnd.google-apps.document"`) with media of a type Drive imports into it (a .docx,
 * say) is converted: the file is of the Google type (`importedFrom` records what was uploaded,
 * `content` keeps its bytes for tests to read), opens at `/document/d/{id}/edit`, and cannot be
 * downloaded with `alt=media` (403, as Drive answers: export it instead). A type Drive does not
 * import into that target, or an Office file that is not one, is refused with 400.
 */
export interface StoredFile {
  id: string;
  name: string;
  mimeType: string;
  /** One parent (Drive v3 allows no more); "root" when created without one. */
  parents: string[];
  content: Buffer;
  createdTime: string;
  modifiedTime: string;
  trashed: boolean;
  description?: string;
  appProperties?: Record<string, string>;
  /** The media type uploaded, when Drive converted it into a Google editors file (a .docx into a Google Doc). */
  importedFrom?: string;
}

export interface SentMessage {
  id: string;
  threadId: string;
  userId: string;
  /** The RFC 822 message as sent (base64url-decoded). */
  raw: Buffer;
  labelIds: string[];
}

export interface MailDriveServer {
  url: string;
  files: Map<string, StoredFile>;
  messages: SentMessage[];
  requests: RecordedRequest[];
  /**
   * Answer the next `count` requests with this status (429 → RESOURCE_EXHAUSTED, 503 → UNAVAILABLE,
   * 500 → INTERNAL, 400 → INVALID_ARGUMENT, 403 → PERMISSION_DENIED), Google-shaped error body;
   * with `only`, just the requests whose method and path it matches (e.g. `{ path: /messages\/send$/ }`).
   */
  failNext(count: number, status: number, only?: { method?: string; path?: RegExp }): void;
  /** Seed a folder (e.g. one a campaign's configuration names); returns its id. */
  addFolder(name: string, options?: { id?: string; parents?: string[] }): string;
  close(): Promise<void>;
}

export const FOLDER_MIME = "application/vnd.google-apps.folder";
export const GOOGLE_DOC_MIME = "application/vnd.google-apps.document";
const GOOGLE_SHEET_MIME = "application/vnd.google-apps.spreadsheet";
const ROOT = "root";

const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** What Drive imports into which Google type (a part of `about.get`'s `importFormats`). */
const IMPORT_FORMATS: Record<string, readonly string[]> = {
  [DOCX_MIME]: [GOOGLE_DOC_MIME],
  "application/msword": [GOOGLE_DOC_MIME],
  "application/vnd.oasis.opendocument.text": [GOOGLE_DOC_MIME],
  "application/rtf": [GOOGLE_DOC_MIME],
  "text/plain": [GOOGLE_DOC_MIME],
  "text/html": [GOOGLE_DOC_MIME],
  [XLSX_MIME]: [GOOGLE_SHEET_MIME],
  "text/csv": [GOOGLE_SHEET_MIME],
};

/** Google editors files open in their editor; others in Drive's viewer. */
const EDITOR_PATHS: Record<string, string> = {
  [GOOGLE_DOC_MIME]: "document",
  [GOOGLE_SHEET_MIME]: "spreadsheets",
};

/** An Office Open XML file is a zip: "PK\x03\x04". */
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

const isGoogleType = (mimeType: string) => mimeType.startsWith("application/vnd.google-apps.");

interface Media {
  mimeType: string;
  content: Buffer;
}

// ---------------------------------------------------------------------------------------------
// multipart/related, as googleapis-common writes it: `--B\r\ncontent-type: T\r\n\r\n<body>\r\n`
// per part, then `--B--`.

export const parseMultipart = (body: Buffer, contentType: string): Media[] => {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/iu.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw invalid("Multipart upload without a boundary.");
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may open the body without the CRLF before it.
  let pos = body.indexOf(`--${boundary}`);
  if (pos !== 0) throw invalid("Multipart body does not start with its boundary.");
  pos += boundary.length + 2;
  const parts: Media[] = [];
  for (;;) {
    if (body.subarray(pos, pos + 2).toString() === "--") return parts;
    const lineEnd = body.indexOf("\r\n", pos);
    if (lineEnd < 0) throw invalid("Malformed multipart body.");
    const headersEnd =
      body.subarray(lineEnd, lineEnd + 4).toString() === "\r\n\r\n"
        ? lineEnd
        : body.indexOf("\r\n\r\n", lineEnd);
    if (headersEnd < 0) throw invalid("Malformed multipart body.");
    const headers = new Map(
      body
        .subarray(lineEnd + 2, headersEnd)
        .toString("utf8")
        .split("\r\n")
        .filter(Boolean)
        .map((line) => {
          const colon = line.indexOf(":");
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
        }),
    );
    const start = headersEnd + 4;
    const end = body.indexOf(delimiter, start);
    if (end < 0) throw invalid("Multipart body without its closing boundary.");
    parts.push({ mimeType: headers.get("content-type") ?? "", content: body.subarray(start, end) });
    pos = end + delimiter.length;
  }
};

// ---------------------------------------------------------------------------------------------
// Field masks: `id,webViewLink`, `files(id,name),nextPageToken`, `files/id`, `*`.

type Mask = "*" | Map<string, Mask>;

export const parseFields = (fields: string): Mask => {
  let i = 0;
  const list = (): Mask => {
    const mask = new Map<string, Mask>();
    for (;;) {
      const name = /^\s*([A-Za-z_*][A-Za-z0-9_]*)\s*/u.exec(fields.slice(i));
      if (!name?.[1]) throw invalid(`Invalid field selection ${fields}`);
      i += name[0].length;
      let sub: Mask = "*";
      if (fields[i] === "(") {
        i++;
        sub = list();
        if (fields[i] !== ")") throw invalid(`Invalid field selection ${fields}`);
        i++;
      } else if (fields[i] === "/") {
        i++;
        const path = /^[A-Za-z_][A-Za-z0-9_/]*/u.exec(fields.slice(i))?.[0] ?? "";
        if (!path) throw invalid(`Invalid field selection ${fields}`);
        i += path.length;
        sub = path
          .split("/")
          .reverse()
          .reduce<Mask>((inner, key) => new Map([[key, inner]]), "*");
      }
      if (name[1] === "*") return "*";
      mask.set(name[1], sub);
      while (fields[i] === " ") i++;
      if (fields[i] !== ",") return mask;
      i++;
    }
  };
  const mask = list();
  if (i !== fields.length) throw invalid(`Invalid field selection ${fields}`);
  return mask;
};

const select = (value: unknown, mask: Mask): unknown => {
  if (mask === "*" || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => select(v, mask));
  const out: Obj = {};
  for (const [key, sub] of mask)
    if ((value as Obj)[key] !== undefined) out[key] = select((value as Obj)[key], sub);
  return out;
};

const FILE_DEFAULT = parseFields("kind,id,name,mimeType");
const LIST_DEFAULT = parseFields("kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)");

// ---------------------------------------------------------------------------------------------
// Drive search queries: clauses joined by `and`, each one of `name = '…'`, `name != '…'`,
// `name contains '…'`, the same for mimeType, `trashed = true|false`, `'<id>' in parents`.

type Token = { kind: "string"; value: string } | { kind: "word"; value: string };

const tokenize = (q: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i] ?? "";
    if (/\s/u.test(ch)) i++;
    else if (ch === "'") {
      let value = "";
      for (i++; ; i++) {
        if (i >= q.length) throw invalid(`Invalid Value: unterminated string in q: ${q}`);
        if (q[i] === "\\") value += q[++i] ?? "";
        else if (q[i] === "'") break;
        else value += q[i];
      }
      i++;
      tokens.push({ kind: "string", value });
    } else {
      const word = /^(!=|<=|>=|[=<>()]|[A-Za-z_][A-Za-z0-9_.]*)/u.exec(q.slice(i))?.[0];
      if (!word) throw invalid(`Invalid Value: cannot read q at ${q.slice(i)}`);
      tokens.push({ kind: "word", value: word });
      i += word.length;
    }
  }
  return tokens;
};

type Predicate = (file: StoredFile) => boolean;

export const parseQuery = (q: string): Predicate => {
  const tokens = tokenize(q);
  const unsupported = (what: string) =>
    invalid(`Invalid Value: q ${JSON.stringify(q)} (${what} is not emulated by the local Drive server)`);
  const predicates: Predicate[] = [];
  let i = 0;
  for (;;) {
    const [a, b, c] = tokens.slice(i, i + 3);
    if (!a || !b || !c) throw unsupported("this clause");
    if (a.kind === "string" && b.value === "in" && c.kind === "word" && c.value === "parents") {
      const parent = a.value;
      predicates.push((f) => f.parents.includes(parent));
    } else if (a.kind === "word" && (a.value === "name" || a.value === "mimeType") && c.kind === "string") {
      const key = a.value;
      const value = c.value;
      if (b.value === "=") predicates.push((f) => f[key] === value);
      else if (b.value === "!=") predicates.push((f) => f[key] !== value);
      else if (b.value === "contains") predicates.push((f) => f[key].includes(value));
      else throw unsupported(`operator ${b.value}`);
    } else if (a.kind === "word" && a.value === "trashed" && (b.value === "=" || b.value === "!=")) {
      if (c.kind !== "word" || (c.value !== "true" && c.value !== "false"))
        throw invalid(`Invalid Value: q ${JSON.stringify(q)}`);
      const wanted = (c.value === "true") === (b.value === "=");
      predicates.push((f) => f.trashed === wanted);
    } else {
      throw unsupported(`${a.value} ${b.value}`);
    }
    i += 3;
    if (i === tokens.length) return (f) => predicates.every((p) => p(f));
    if (tokens[i]?.value !== "and") throw unsupported(String(tokens[i]?.value));
    i++;
  }
};

// ---------------------------------------------------------------------------------------------
// RFC 822 headers, enough to check that a message has a recipient.

const headerValues = (raw: Buffer, name: string): string[] => {
  const text = raw.toString("latin1");
  const end = text.search(/\r?\n\r?\n/u);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n(?=[ \t])/gu, "");
  return head
    .split(/\r?\n/u)
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((line) => line.slice(name.length + 1).trim());
};

// ---------------------------------------------------------------------------------------------
// The server

export const startMailDriveServer = async (options: { now?: () => Date } = {}): Promise<MailDriveServer> => {
  const now = options.now ?? (() => new Date());
  const files = new Map<string, StoredFile>();
  const messages: SentMessage[] = [];
  const requests: RecordedRequest[] = [];
  let failures: { count: number; status: number; only?: { method?: string; path?: RegExp } } = {
    count: 0,
    status: 0,
  };
  let base = "";

  const view = (file: StoredFile): Obj => ({
    kind: "drive#file",
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    parents: file.parents,
    webViewLink:
      file.mimeType === FOLDER_MIME
        ? `${base}/drive/folders/${file.id}`
        : EDITOR_PATHS[file.mimeType]
          ? `${base}/${EDITOR_PATHS[file.mimeType]}/d/${file.id}/edit`
          : `${base}/file/d/${file.id}/view`,
    createdTime: file.createdTime,
    modifiedTime: file.modifiedTime,
    trashed: file.trashed,
    ...(file.mimeType === FOLDER_MIME ? {} : { size: String(file.content.length) }),
    ...(file.description !== undefined ? { description: file.description } : {}),
    ...(file.appProperties ? { appProperties: file.appProperties } : {}),
  });

  const find = (id: string) => {
    const file = files.get(id);
    if (!file) throw new ApiError(404, `File not found: ${id}.`);
    return file;
  };

  const checkParent = (id: string) => {
    if (id === ROOT) return;
    if (find(id).mimeType !== FOLDER_MIME) throw invalid(`The parent ${id} is not a folder.`);
  };

  const newId = () => `1${randomBytes(24).toString("base64url")}`;

  const createFile = (metadata: Obj, media?: Media): StoredFile => {
    const parents = (metadata.parents as string[] | undefined) ?? [ROOT];
    if (!Array.isArray(parents) || parents.length !== 1)
      throw new ApiError(403, "Increasing the number of parents is not allowed.");
    for (const parent of parents) checkParent(parent);
    const created = now().toISOString();
    const mimeType = String(metadata.mimeType ?? media?.mimeType ?? "application/octet-stream");
    if (mimeType === FOLDER_MIME && media?.content.length) throw invalid("A folder cannot have content.");
    const importedFrom = media && isGoogleType(mimeType) ? checkImport(media, mimeType) : undefined;
    const file: StoredFile = {
      id: newId(),
      name: String(metadata.name ?? "Untitled"),
      mimeType,
      parents: [...parents],
      content: Buffer.from(media?.content ?? []),
      createdTime: created,
      modifiedTime: created,
      trashed: false,
      ...(importedFrom ? { importedFrom } : {}),
    };
    applyMetadata(file, metadata);
    files.set(file.id, file);
    return file;
  };

  /** An upload Drive converts into `target`: a type it imports there, and an Office file that is one (a zip). */
  const checkImport = (media: Media, target: string): string => {
    const source = media.mimeType.split(";")[0]?.trim() ?? "";
    if (!IMPORT_FORMATS[source]?.includes(target))
      throw invalid(`Conversion of ${source || "this file"} to ${target} is not supported.`);
    if (
      source.startsWith("application/vnd.openxmlformats") &&
      !media.content.subarray(0, 4).equals(ZIP_SIGNATURE)
    )
      throw invalid(`The uploaded file is not a valid ${source} file.`);
    return source;
  };

  const applyMetadata = (file: StoredFile, metadata: Obj) => {
    if (typeof metadata.description === "string") file.description = metadata.description;
    if (metadata.appProperties && typeof metadata.appProperties === "object")
      file.appProperties = { ...file.appProperties, ...(metadata.appProperties as Record<string, string>) };
  };

  const updateFile = (file: StoredFile, metadata: Obj, query: URLSearchParams, media?: Media) => {
    if (metadata.parents !== undefined)
      throw new ApiError(
        403,
        "The parents field is not directly writable in update requests. Use the addParents and removeParents parameters instead.",
      );
    const remove = (query.get("removeParents") ?? "").split(",").filter(Boolean);
    const add = (query.get("addParents") ?? "").split(",").filter(Boolean);
    for (const parent of add) checkParent(parent);
    const parents = [
      ...file.parents.filter((p) => !remove.includes(p)),
      ...add.filter((p) => !file.parents.includes(p)),
    ];
    if (parents.length > 1) throw new ApiError(403, "Increasing the number of parents is not allowed.");
    if (media && file.mimeType === FOLDER_MIME) throw invalid("A folder cannot have content.");
    if (typeof metadata.name === "string") file.name = metadata.name;
    if (typeof metadata.mimeType === "string") file.mimeType = metadata.mimeType;
    if (typeof metadata.trashed === "boolean") file.trashed = metadata.trashed;
    applyMetadata(file, metadata);
    file.parents = parents;
    if (media) file.content = Buffer.from(media.content);
    file.modifiedTime = now().toISOString();
    return file;
  };

  const sendMessage = (userId: string, metadata: Obj, raw: Buffer): SentMessage => {
    if (!raw.length)
      throw invalid("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
    const recipients = ["To", "Cc", "Bcc"].flatMap((h) => headerValues(raw, h)).filter(Boolean);
    if (!recipients.length) throw invalid("Recipient address required");
    const id = randomBytes(8).toString("hex");
    const message: SentMessage = {
      id,
      threadId: typeof metadata.threadId === "string" ? metadata.threadId : id,
      userId,
      raw,
      labelIds: ["SENT"],
    };
    messages.push(message);
    return message;
  };

  type Answer = { status: number; json?: unknown; bytes?: Media };

  const route = (
    method: string,
    path: string,
    query: URLSearchParams,
    metadata: Obj,
    media?: Media,
  ): Answer => {
    const upload = path.startsWith("/upload/");
    const api = upload ? path.slice("/upload".length) : path;
    const fields = query.get("fields");
    const ok = (value: unknown, fallback: Mask): Answer => ({
      status: 200,
      json: select(value, fields ? parseFields(fields) : fallback),
    });

    const send = /^\/gmail\/v1\/users\/([^/]+)\/messages\/send$/u.exec(api);
    if (send && method === "POST") {
      let raw: Buffer;
      if (upload) {
        if (!media?.mimeType.startsWith("message/"))
          throw invalid(
            `Media type '${media?.mimeType ?? ""}' is not supported. Valid media types: [message/*]`,
          );
        raw = Buffer.from(media.content);
      } else {
        raw = Buffer.from(typeof metadata.raw === "string" ? metadata.raw : "", "base64url");
      }
      const message = sendMessage(decodeURIComponent(send[1] ?? ""), metadata, raw);
      return {
        status: 200,
        json: { id: message.id, threadId: message.threadId, labelIds: message.labelIds },
      };
    }

    if (api === "/drive/v3/files") {
      if (method === "POST") return ok(view(createFile(metadata, media)), FILE_DEFAULT);
      if (method === "GET" && !upload) {
        const q = query.get("q");
        const matches = q ? parseQuery(q) : () => true;
        const found = [...files.values()].filter(matches);
        const pageSize = Math.min(Number(query.get("pageSize") ?? 100), 1000);
        const start = Number(query.get("pageToken") ?? 0);
        const next = start + pageSize < found.length ? String(start + pageSize) : undefined;
        return ok(
          {
            kind: "drive#fileList",
            incompleteSearch: false,
            files: found.slice(start, start + pageSize).map(view),
            ...(next ? { nextPageToken: next } : {}),
          },
          LIST_DEFAULT,
        );
      }
    }
    const one = /^\/drive\/v3\/files\/([^/]+)$/u.exec(api);
    if (one) {
      const file = find(decodeURIComponent(one[1] ?? ""));
      if (method === "GET" && !upload) {
        if (query.get("alt") === "media") {
          if (file.mimeType === FOLDER_MIME)
            throw new ApiError(403, "Only files with binary content can be downloaded.");
          if (isGoogleType(file.mimeType))
            throw new ApiError(
              403,
              "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
            );
          return { status: 200, bytes: { mimeType: file.mimeType, content: file.content } };
        }
        return ok(view(file), FILE_DEFAULT);
      }
      if (method === "PATCH") return ok(view(updateFile(file, metadata, query, media)), FILE_DEFAULT);
      if (method === "DELETE" && !upload) {
        const doomed = [file.id];
        for (let k = 0; k < doomed.length; k++)
          for (const f of files.values()) if (f.parents.includes(doomed[k] ?? "")) doomed.push(f.id);
        for (const id of doomed) files.delete(id);
        return { status: 204 };
      }
    }
    throw new ApiError(404, `No route for ${method} ${path}`);
  };

  /** The metadata and media of a request: JSON for plain paths, the upload protocols for `/upload/`. */
  const readBody = (path: string, query: URLSearchParams, contentType: string, bytes: Buffer) => {
    const json = (text: string): Obj => {
      if (!text) return {};
      try {
        return JSON.parse(text) as Obj;
      } catch {
        throw invalid("Invalid JSON payload received.");
      }
    };
    if (!path.startsWith("/upload/")) return { metadata: json(bytes.toString("utf8")) };
    const uploadType = query.get("uploadType");
    if (uploadType === "media") return { metadata: {}, media: { mimeType: contentType, content: bytes } };
    if (uploadType === "multipart") {
      const parts = parseMultipart(bytes, contentType);
      const [meta, media] = parts;
      if (parts.length !== 2 || !meta || !media)
        throw invalid(`A multipart upload has 2 parts (metadata and media), not ${parts.length}.`);
      if (!meta.mimeType.startsWith("application/json"))
        throw invalid(`The metadata part must be application/json, not ${meta.mimeType}.`);
      return { metadata: json(meta.content.toString("utf8")), media };
    }
    throw invalid(
      uploadType
        ? `uploadType=${uploadType} is not emulated by the local Drive/Gmail server`
        : "Upload requests must include an uploadType URL parameter and a URL path beginning with /upload/",
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://local");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const method = req.method ?? "";
    const contentType = req.headers["content-type"] ?? "";
    const path = url.pathname;
    const sendJson = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
      res.end(JSON.stringify(payload));
    };
    const error = (code: number, message: string) =>
      sendJson(code, { error: { code, message, status: STATUS[code] ?? "UNKNOWN" } });
    const record = (body: unknown) =>
      requests.push({ method, path, query: url.searchParams, contentType, body });
    let body: { metadata: Obj; media?: Media };
    try {
      body = readBody(path, url.searchParams, contentType, bytes);
    } catch (e) {
      record(bytes.toString("utf8"));
      if (e instanceof ApiError) return error(e.code, e.message);
      throw e;
    }
    record(path.startsWith("/upload/") ? body : body.metadata);
    const targeted =
      (!failures.only?.method || failures.only.method === method) &&
      (!failures.only?.path || failures.only.path.test(path));
    if (failures.count > 0 && targeted) {
      failures.count--;
      return error(failures.status, "injected failure");
    }
    try {
      const answer = route(method, path, url.searchParams, body.metadata, body.media);
      if (answer.bytes) {
        res.writeHead(answer.status, { "content-type": answer.bytes.mimeType });
        res.end(answer.bytes.content);
      } else if (answer.json === undefined) {
        res.writeHead(answer.status).end();
      } else {
        sendJson(answer.status, answer.json);
      }
    } catch (e) {
      if (e instanceof ApiError) return error(e.code, e.message);
      throw e;
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: 500, message: String(e), status: "INTERNAL" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    files,
    messages,
    requests,
    failNext(count, status, only) {
      failures = { count, status, ...(only ? { only } : {}) };
    },
    addFolder(name, options = {}) {
      const folder = createFile({ name, mimeType: FOLDER_MIME, parents: options.parents ?? [ROOT] });
      if (options.id && options.id !== folder.id) {
        files.delete(folder.id);
        folder.id = options.id;
        files.set(folder.id, folder);
      }
      return folder.id;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
