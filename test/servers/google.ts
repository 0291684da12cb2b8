import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { type FormsServer, startFormsServer } from "./forms-server.js";
import { type SheetsServer, startSheetsServer } from "./sheets-server.js";

/**
 * One local "Google" at one root URL, as the CLI and the functions see it: Forms API paths go to
 * the local Forms server, Sheets and Drive paths to the local Sheets server.
 */
export interface GoogleServers {
  url: string;
  forms: FormsServer;
  sheets: SheetsServer;
  close(): Promise<void>;
}

export const startGoogleServers = async (): Promise<GoogleServers> => {
  const [forms, sheets] = await Promise.all([startFormsServer(), startSheetsServer()]);
  const front = createServer((req, res) => {
    const target = new URL((req.url ?? "/").startsWith("/v1/forms") ? forms.url : sheets.url);
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
    close: async () => {
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await Promise.all([forms.close(), sheets.close()]);
    },
  };
};
