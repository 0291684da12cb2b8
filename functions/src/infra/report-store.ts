import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { Readable } from "node:stream";
import { drive as driveApi } from "googleapis/build/src/apis/drive/index.js";
import { guardGoogle } from "./google/errors.js";
import { type GoogleClientOptions, localAuth } from "./google/forms.js";

/**
 * Where the documents go (each as a PDF and as an editable Word file): files under the output
 * folder (local), or a Google Drive folder (production), whose links are written into the tracking
 * sheet. Names carry the content hash, so a file is never overwritten with different content.
 */
export interface ReportStore {
  describe: string;
  /**
   * Store a file of `contentType` (a PDF unless told); returns where people open it (a path, or a
   * Drive link). Drive converts a Word file into a Google Doc, which opens in Google Docs.
   */
  put(name: string, content: Buffer, contentType?: string): Promise<string>;
  /** A stored file's bytes (binary files only: a file Drive converted has none to download). */
  get(name: string): Promise<Buffer | undefined>;
}

export const PDF_TYPE = "application/pdf";
export const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** What Drive makes of an uploaded file of each type it converts (Drive v3 `importFormats`). */
const CONVERTED: Record<string, { mimeType: string; link: (id: string) => string }> = {
  [DOCX_TYPE]: {
    mimeType: "application/vnd.google-apps.document",
    link: (id) => `https://docs.google.com/document/d/${id}/edit`,
  },
};

/** Files in a folder; with `linkFrom`, links are relative to that folder (the workbook's, say). */
export const localReportStore = (dir: string, options: { linkFrom?: string } = {}): ReportStore => ({
  describe: dir,
  async put(name, content) {
    await mkdir(dir, { recursive: true });
    const file = join(dir, name);
    await writeFile(`${file}.partial`, content);
    await rename(`${file}.partial`, file);
    return options.linkFrom === undefined ? file : relative(options.linkFrom, file);
  },
  get: (name) => readFile(join(dir, name)).catch(() => undefined),
});

export const driveReportStore = (folderId: string, options: GoogleClientOptions = {}): ReportStore => {
  const drive = driveApi({
    version: "v3",
    auth: options.auth ?? localAuth(),
    ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
  });
  const find = async (name: string) =>
    (
      await drive.files.list({
        q: `name = '${name.replace(/'/gu, "\\'")}' and '${folderId}' in parents and trashed = false`,
        fields: "files(id,webViewLink)",
        // A service account has no My Drive of its own: the folder is usually on a shared drive.
        supportsAllDrives: true,
        includeItemsFromAllDrives: true,
      })
    ).data.files?.[0];
  return guardGoogle("Google Drive API", {
    describe: `Google Drive (thư mục ${folderId})`,
    async put(name, content, contentType = PDF_TYPE) {
      const existing = await find(name);
      if (existing?.webViewLink) return existing.webViewLink;
      // A Word file is uploaded as such and converted by Drive: the metadata names the Google type.
      const converted = CONVERTED[contentType];
      // googleapis builds media upload URLs from the call's options only, not the client's rootUrl.
      const { data } = await drive.files.create(
        {
          requestBody: { name, parents: [folderId], mimeType: converted?.mimeType ?? contentType },
          media: { mimeType: contentType, body: Readable.from(content) },
          fields: "id,webViewLink",
          supportsAllDrives: true,
        },
        options.rootUrl ? { rootUrl: options.rootUrl } : {},
      );
      return (
        data.webViewLink ??
        (converted ? converted.link(String(data.id)) : `https://drive.google.com/file/d/${data.id}/view`)
      );
    },
    async get(name) {
      const file = await find(name);
      if (!file?.id) return undefined;
      const { data } = await drive.files.get(
        { fileId: file.id, alt: "media", supportsAllDrives: true },
        { responseType: "arraybuffer" },
      );
      return Buffer.from(data as unknown as ArrayBuffer);
    },
  } satisfies ReportStore);
};
