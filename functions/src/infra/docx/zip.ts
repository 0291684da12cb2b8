import * as zlib from "node:zlib";
import { Zip, type ZipInputFile, ZipPassThrough } from "fflate";

/**
 * The .docx's zip, with fflate (the zip library docx itself packs with) and Node's zlib for the
 * DEFLATE and the CRC, which are native and several times faster than fflate's. The parts every
 * document of a layout shares are deflated once (`deflated`); a document's own on each call
 * (`zipParts`). Each part is added to fflate's zip already deflated, with its size and CRC, as
 * fflate lets one bring one's own compression (its `ZipInputFile`).
 */

/** A part's bytes deflated, with what a zip's headers say of it. */
export interface DeflatedPart {
  path: string;
  data: Uint8Array<ArrayBuffer>;
  crc: number;
  size: number;
}

/** fflate's CRC-32, where Node's zlib has none (before Node 20.15). */
const fflateCrc = (data: Uint8Array<ArrayBuffer>): number => {
  const counter = new ZipPassThrough("");
  counter.ondata = () => undefined;
  counter.push(data, true);
  return counter.crc;
};

const crc32: (data: Uint8Array<ArrayBuffer>) => number =
  typeof zlib.crc32 === "function" ? (data) => zlib.crc32(data) : fflateCrc;

/** `text` (UTF-8) or bytes deflated at `level` (zlib's 1–9). */
const deflate = (path: string, data: string | Uint8Array<ArrayBuffer>, level: number): DeflatedPart => {
  const bytes = (typeof data === "string" ? Buffer.from(data, "utf8") : data) as Uint8Array<ArrayBuffer>;
  // zlib's Buffers are never shared memory.
  const deflatedBytes = zlib.deflateRawSync(bytes, { level }) as Uint8Array<ArrayBuffer>;
  return { path, data: deflatedBytes, crc: crc32(bytes), size: bytes.length };
};

/** DEFLATE's level for the parts deflated once: the smallest. */
const ONCE = 9;

/** A part deflated once, to be zipped again and again (`zipParts`). */
export const deflated = (path: string, data: string | Uint8Array<ArrayBuffer>): DeflatedPart =>
  deflate(path, data, ONCE);

/** A deflated part as a file of the zip being written. */
const add = (zip: Zip, part: DeflatedPart) => {
  const file: ZipInputFile = { filename: part.path, size: part.size, crc: part.crc, compression: 8 };
  zip.add(file);
  file.ondata?.(null, part.data, true);
};

/**
 * A zip of `parts` in their order: each either deflated before, or text deflated now at `level`
 * (zlib's 1–9). Returns the zip file's bytes.
 */
export const zipParts = (
  parts: ReadonlyArray<DeflatedPart | { path: string; text: string }>,
  level: number,
): Buffer => {
  const chunks: Uint8Array[] = [];
  const failed: { error?: Error } = {};
  const zip = new Zip((error, chunk) => {
    if (error) failed.error = error;
    else chunks.push(chunk);
  });
  for (const part of parts) add(zip, "text" in part ? deflate(part.path, part.text, level) : part);
  zip.end();
  if (failed.error) throw failed.error;
  return Buffer.concat(chunks);
};
