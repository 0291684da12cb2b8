import { Readable } from "node:stream";
import { type drive_v3, drive as driveApi } from "googleapis/build/src/apis/drive/index.js";
import { type gmail_v1, gmail as gmailApi } from "googleapis/build/src/apis/gmail/index.js";
import { sheets as sheetsApi } from "googleapis/build/src/apis/sheets/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAuth } from "../../functions/src/infra/google/forms.js";
import { startGoogleServers } from "./google.js";
import {
  FOLDER_MIME,
  GOOGLE_DOC_MIME,
  type MailDriveServer,
  parseFields,
  parseQuery,
  type StoredFile,
  startMailDriveServer,
} from "./mail-drive-server.js";

let server: MailDriveServer;
let drive: drive_v3.Drive;
let gmail: gmail_v1.Gmail;
/** Per-call options: googleapis builds media upload URLs from these only, not from the client's rootUrl. */
let call: { rootUrl: string };
beforeAll(async () => {
  server = await startMailDriveServer();
  drive = driveApi({ version: "v3", auth: localAuth(), rootUrl: server.url });
  gmail = gmailApi({ version: "v1", auth: localAuth(), rootUrl: server.url });
  call = { rootUrl: server.url };
});
afterAll(() => server.close());

/** What a googleapis call fails with (gaxios' GaxiosError), as far as these tests read it. */
interface GaxiosError extends Error {
  status?: number;
  response?: { status: number; data: unknown };
}

const failure = async (call: Promise<unknown>): Promise<GaxiosError> => {
  try {
    await call;
  } catch (e) {
    return e as GaxiosError;
  }
  throw new Error("expected the call to fail");
};

const pdf = (text: string) =>
  Buffer.concat([
    Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1"),
    Buffer.from(text),
    Buffer.from([0, 255, 13, 10]),
  ]);

/** A small RFC 822 message with a UTF-8 (RFC 2047) subject and body. */
const rfc822 = (to: string, subject: string, body: string) =>
  Buffer.from(
    [
      "From: Phong GD <pgd@example.edu.vn>",
      `To: ${to}`,
      `Subject: =?UTF-8?B?${Buffer.from(subject).toString("base64")}?=`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: 8bit",
      "",
      body,
    ].join("\r\n"),
  );

const newFolder = async (name: string, parent?: string) => {
  const { data } = await drive.files.create({
    requestBody: { name, mimeType: FOLDER_MIME, ...(parent ? { parents: [parent] } : {}) },
    fields: "id",
  });
  return data.id ?? "";
};

describe("drive files, through googleapis", () => {
  it("creates a folder, uploads a file into it, finds it by name, replaces its content and gets it", async () => {
    const folderId = await newFolder("Báo cáo 2025");
    expect(server.files.get(folderId)).toMatchObject({
      name: "Báo cáo 2025",
      mimeType: FOLDER_MIME,
      parents: ["root"],
    });

    const first = pdf("bản 1");
    const created = await drive.files.create(
      {
        requestBody: { name: "Quyết định khen thưởng.pdf", parents: [folderId], mimeType: "application/pdf" },
        media: { mimeType: "application/pdf", body: Readable.from(first) },
        fields: "id,webViewLink",
      },
      call,
    );
    const id = created.data.id ?? "";
    expect(created.data).toEqual({ id, webViewLink: `${server.url}/file/d/${id}/view` });
    expect(server.files.get(id)).toMatchObject<Partial<StoredFile>>({
      name: "Quyết định khen thưởng.pdf",
      mimeType: "application/pdf",
      parents: [folderId],
      content: first,
    });

    const upload = server.requests.at(-1);
    expect(upload).toMatchObject({ method: "POST", path: "/upload/drive/v3/files" });
    expect(upload?.query.get("uploadType")).toBe("multipart");
    expect(upload?.contentType).toMatch(/^multipart\/related; boundary=/u);
    expect(upload?.body).toEqual({
      metadata: { name: "Quyết định khen thưởng.pdf", parents: [folderId], mimeType: "application/pdf" },
      media: { mimeType: "application/pdf", content: first },
    });

    // A look-alike elsewhere and a trashed one must not match.
    const other = await newFolder("Khác");
    await drive.files.create(
      {
        requestBody: { name: "Quyết định khen thưởng.pdf", parents: [other] },
        media: { mimeType: "application/pdf", body: "x" },
      },
      call,
    );
    const list = await drive.files.list({
      q: `name = 'Quyết định khen thưởng.pdf' and '${folderId}' in parents and trashed = false`,
      fields: "files(id,name,webViewLink)",
    });
    expect(list.data.files).toEqual([
      { id, name: "Quyết định khen thưởng.pdf", webViewLink: `${server.url}/file/d/${id}/view` },
    ]);

    const second = pdf("bản 2, dài hơn");
    const updated = await drive.files.update(
      {
        fileId: id,
        requestBody: {},
        media: { mimeType: "application/pdf", body: Readable.from(second) },
        fields: "id,size",
      },
      call,
    );
    expect(updated.data).toEqual({ id, size: String(second.length) });
    expect(server.requests.at(-1)).toMatchObject({ method: "PATCH", path: `/upload/drive/v3/files/${id}` });
    expect(server.requests.at(-1)?.query.get("uploadType")).toBe("multipart");
    expect(server.files.get(id)?.content).toEqual(second);

    const got = await drive.files.get({ fileId: id, fields: "id,name,mimeType,parents,webViewLink" });
    expect(got.data).toEqual({
      id,
      name: "Quyết định khen thưởng.pdf",
      mimeType: "application/pdf",
      parents: [folderId],
      webViewLink: `${server.url}/file/d/${id}/view`,
    });
    const bytes = await drive.files.get({ fileId: id, alt: "media" }, { responseType: "arraybuffer" });
    expect(Buffer.from(bytes.data as unknown as ArrayBuffer)).toEqual(second);
  });

  it("answers Drive's default fields when none are asked for", async () => {
    const folderId = await newFolder("Mặc định");
    const { data } = await drive.files.get({ fileId: folderId });
    expect(data).toEqual({ kind: "drive#file", id: folderId, name: "Mặc định", mimeType: FOLDER_MIME });
    const list = await drive.files.list({ q: `'${folderId}' in parents` });
    expect(list.data).toEqual({ kind: "drive#fileList", incompleteSearch: false, files: [] });
  });

  it("finds folders by mimeType, content-only updates, moves with addParents and refuses parents in update", async () => {
    const a = await newFolder("A");
    const b = await newFolder("B", a);
    const { data } = await drive.files.create(
      { requestBody: { name: "n.txt", parents: [a] }, media: { mimeType: "text/plain", body: "một" } },
      call,
    );
    const id = data.id ?? "";
    const folders = await drive.files.list({
      q: `mimeType = '${FOLDER_MIME}' and name = 'B' and '${a}' in parents and trashed = false`,
      fields: "files(id)",
    });
    expect(folders.data.files).toEqual([{ id: b }]);

    await drive.files.update({ fileId: id, media: { mimeType: "text/plain", body: "hai" } }, call);
    expect(server.requests.at(-1)?.query.get("uploadType")).toBe("media");
    expect(server.files.get(id)?.content.toString()).toBe("hai");

    const refused = await failure(
      drive.files.update({ fileId: id, requestBody: { parents: [b] } }, { retry: false }),
    );
    expect(refused.status).toBe(403);
    await drive.files.update({ fileId: id, addParents: b, removeParents: a, requestBody: { name: "m.txt" } });
    expect(server.files.get(id)).toMatchObject({ name: "m.txt", parents: [b] });
  });

  it("refuses unknown parents and queries it does not emulate", async () => {
    const missing = await failure(
      drive.files.create({ requestBody: { name: "x", parents: ["nope"] } }, { retry: false }),
    );
    expect(missing.status).toBe(404);
    const query = await failure(drive.files.list({ q: "name = 'a' or name = 'b'" }, { retry: false }));
    expect(query.status).toBe(400);
    expect(JSON.stringify(query.response?.data)).toMatch(/not emulated/u);
  });

  it("seeds folders with a chosen id", async () => {
    const id = server.addFolder("Cấu hình", { id: "folder-config" });
    expect(id).toBe("folder-config");
    const { data } = await drive.files.create({
      requestBody: { name: "f", parents: [id] },
      fields: "parents",
    });
    expect(data.parents).toEqual(["folder-config"]);
  });

  it("converts an upload into the Google type its metadata names, as Drive does, and refuses what it cannot", async () => {
    const docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("rest of a .docx")]);
    const { data } = await drive.files.create(
      {
        requestBody: { name: "ket-qua.docx", mimeType: GOOGLE_DOC_MIME },
        media: { mimeType: docx, body: Readable.from(zip) },
        fields: "id,mimeType,webViewLink",
      },
      call,
    );
    expect(data.mimeType).toBe(GOOGLE_DOC_MIME);
    expect(data.webViewLink).toBe(`${server.url}/document/d/${data.id}/edit`);
    expect(server.files.get(data.id ?? "")).toMatchObject({ importedFrom: docx, content: zip });
    // A Google Doc has no bytes to download: Drive says to export it.
    const download = await failure(
      drive.files.get({ fileId: data.id ?? "", alt: "media" }, { retry: false, responseType: "arraybuffer" }),
    );
    expect(download.status).toBe(403);
    // A PDF does not become a Google Doc; a .docx that is no zip is no .docx.
    for (const media of [
      { mimeType: "application/pdf", body: Readable.from(pdf("x")) },
      { mimeType: docx, body: Readable.from(Buffer.from("not a zip")) },
    ]) {
      const refused = await failure(
        drive.files.create(
          { requestBody: { name: "x", mimeType: GOOGLE_DOC_MIME }, media },
          { ...call, retry: false },
        ),
      );
      expect(refused.status).toBe(400);
    }
  });

  it("(googleapis) sends media uploads to www.googleapis.com unless the call itself carries rootUrl", async () => {
    let url = "";
    await failure(
      drive.files.create(
        { requestBody: { name: "x" }, media: { mimeType: "text/plain", body: "x" } },
        {
          retry: false,
          adapter: async (options) => {
            url = String(options.url);
            throw new Error("not sent");
          },
        },
      ),
    );
    expect(url).toMatch(/^https:\/\/www\.googleapis\.com\/upload\/drive\/v3\/files\?/u);
  });
});

describe("gmail messages.send, through googleapis", () => {
  it("stores the raw message as sent and answers id, threadId and labelIds", async () => {
    const raw = rfc822(
      "hieutruong@example.edu.vn",
      "Kết quả xét điển hình tiên tiến",
      "Kính gửi thầy/cô,\r\nXem tệp đính kèm.",
    );
    const { data } = await gmail.users.messages.send({
      userId: "me",
      requestBody: { raw: raw.toString("base64url") },
    });
    const stored = server.messages.at(-1);
    expect(data).toEqual({ id: stored?.id, threadId: stored?.id, labelIds: ["SENT"] });
    expect(stored).toMatchObject({ userId: "me", labelIds: ["SENT"] });
    expect(stored?.raw).toEqual(raw);
    expect(server.requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/gmail/v1/users/me/messages/send",
    });
  });

  it("also takes the message as a media upload", async () => {
    const raw = rfc822("a@example.edu.vn", "Thư thử", "nội dung");
    const { data } = await gmail.users.messages.send(
      { userId: "me", media: { mimeType: "message/rfc822", body: Readable.from(raw) } },
      call,
    );
    expect(server.requests.at(-1)).toMatchObject({
      method: "POST",
      path: "/upload/gmail/v1/users/me/messages/send",
      contentType: "message/rfc822",
    });
    expect(server.requests.at(-1)?.query.get("uploadType")).toBe("media");
    expect(server.messages.find((m) => m.id === data.id)?.raw).toEqual(raw);
  });

  it("refuses a message without recipients", async () => {
    const raw = Buffer.from("Subject: x\r\n\r\nbody");
    const error = await failure(
      gmail.users.messages.send(
        { userId: "me", requestBody: { raw: raw.toString("base64url") } },
        { retry: false },
      ),
    );
    expect(error.status).toBe(400);
  });

  it("fails targeted sends with failNext and lets other requests through", async () => {
    server.failNext(2, 503, { path: /messages\/send$/u });
    const sent = server.messages.length;
    const raw = rfc822("b@example.edu.vn", "Lần ba", "x").toString("base64url");
    const send = () => gmail.users.messages.send({ userId: "me", requestBody: { raw } }, { retry: false });
    const first = await failure(send());
    expect(first.status).toBe(503);
    expect(first.response?.data).toEqual({
      error: { code: 503, message: "injected failure", status: "UNAVAILABLE" },
    });
    await newFolder("không bị ảnh hưởng");
    expect((await failure(send())).status).toBe(503);
    const { data } = await send();
    expect(data.labelIds).toEqual(["SENT"]);
    expect(server.messages.length).toBe(sent + 1);
  });
});

describe("field masks and queries", () => {
  it("parses nested and path selections", () => {
    expect(parseFields("files(id,name),nextPageToken")).toEqual(
      new Map<string, unknown>([
        [
          "files",
          new Map([
            ["id", "*"],
            ["name", "*"],
          ]),
        ],
        ["nextPageToken", "*"],
      ]),
    );
    expect(parseFields("files/id")).toEqual(new Map([["files", new Map([["id", "*"]])]]));
    expect(parseFields("*")).toBe("*");
  });

  it("reads quoted names with escapes", () => {
    const match = parseQuery("name = 'O\\'Brien' and trashed = false");
    const file = { name: "O'Brien", trashed: false } as StoredFile;
    expect(match(file)).toBe(true);
    expect(match({ ...file, trashed: true })).toBe(false);
  });
});

describe("through startGoogleServers", () => {
  it("routes Drive files and Gmail to the Drive/Gmail server and Drive permissions to the Sheets server", async () => {
    const google = await startGoogleServers();
    try {
      const options = { auth: localAuth(), rootUrl: google.url };
      const d = driveApi({ version: "v3", ...options });
      const g = gmailApi({ version: "v1", ...options });
      const s = sheetsApi({ version: "v4", ...options });

      const folder = await d.files.create({
        requestBody: { name: "F", mimeType: FOLDER_MIME },
        fields: "id",
      });
      const file = await d.files.create(
        {
          requestBody: { name: "r.pdf", parents: [folder.data.id ?? ""] },
          media: { mimeType: "application/pdf", body: Readable.from(pdf("qua cổng")) },
          fields: "id",
        },
        { rootUrl: google.url },
      );
      expect(google.mail.files.get(file.data.id ?? "")?.content).toEqual(pdf("qua cổng"));
      const raw = rfc822("c@example.edu.vn", "Qua cổng", "x");
      await g.users.messages.send({ userId: "me", requestBody: { raw: raw.toString("base64url") } });
      expect(google.mail.messages.at(-1)?.raw).toEqual(raw);

      const sheet = await s.spreadsheets.create({ requestBody: { properties: { title: "T" } } });
      const spreadsheetId = sheet.data.spreadsheetId ?? "";
      await d.permissions.create({ fileId: spreadsheetId, requestBody: { type: "anyone", role: "reader" } });
      expect(google.sheets.spreadsheets.get(spreadsheetId)?.permissions).toMatchObject([
        { type: "anyone", role: "reader" },
      ]);
      expect(google.mail.requests.map((r) => r.path)).toEqual([
        "/drive/v3/files",
        "/upload/drive/v3/files",
        "/gmail/v1/users/me/messages/send",
      ]);
    } finally {
      await google.close();
    }
  });
});
