import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { type FormsServer, startFormsServer } from "./forms-server.js";
import { type MailDriveServer, startMailDriveServer } from "./mail-drive-server.js";
import { type SheetsServer, startSheetsServer } from "./sheets-server.js";

/**
 * One local "Google" at one root URL, as the CLI and the functions see it: Forms API paths go to
 * the local Forms server; media uploads (`/upload/...`), Gmail and Drive `files` paths to the local
 * Drive/Gmail server; Sheets and Drive permissions paths to the local Sheets server.
 */
export interface GoogleServers {
  url: string;
  forms: FormsServer;
  sheets: SheetsServer;
  mail: MailDriveServer;
  close(): Promise<void>;
}

/** Which local server answers a path (query string excluded); Drive permissions go where the file is. */
const routeOf = (path: string, isForm: (id: string) => boolean): "forms" | "sheets" | "mail" => {
  if (path.startsWith("/v1/forms")) return "forms";
  const shared = /^\/drive\/v3\/files\/([^/]+)\/permissions$/u.exec(path)?.[1];
  if (shared && isForm(decodeURIComponent(shared))) return "forms";
  if (
    path.startsWith("/upload/") ||
    path.startsWith("/gmail/") ||
    /^\/drive\/v3\/files(\/[^/]+)?$/u.test(path)
  )
    return "mail";
  return "sheets";
};

export const startGoogleServers = async (): Promise<GoogleServers> => {
  const [forms, sheets, mail] = await Promise.all([
    startFormsServer(),
    startSheetsServer(),
    startMailDriveServer(),
  ]);
  const front = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    const target = new URL({ forms, sheets, mail }[routeOf(path, (id) => forms.forms.has(id))].url);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => res.writeHead(502).end(String(error)));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  const { port } = front.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forms,
    sheets,
    mail,
    close: async () => {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await Promise.all([forms.close(), sheets.close(), mail.close()]);
    },
  };
};
