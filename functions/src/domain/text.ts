/**
 * Vietnamese text helpers. Text typed on macOS or pasted from Word often arrives decomposed (NFD):
 * every string that enters the domain is normalised to NFC so accents survive fonts, sorting and
 * comparison.
 */

export const nfc = (s: string): string => s.normalize("NFC");

/** NFC, trimmed, inner whitespace collapsed: the form in which user-typed text is stored. */
export const cleanText = (s: string): string => nfc(s).replace(/\s+/gu, " ").trim();

/** Like `cleanText`, but line breaks are kept (a note typed over several lines). */
export const cleanMultiline = (s: string): string =>
  nfc(s)
    .split(/\r?\n/u)
    .map((line) => line.replace(/[^\S\n]+/gu, " ").trim())
    .join("\n")
    .trim();

/**
 * A key for loose matching of labels typed by people ("Hoàn thành tốt nhiệm vụ" vs
 * "hoàn thành  TỐT nhiệm vụ"): lower case, no diacritics, đ → d, single spaces.
 * Memoised: the same few hundred titles and options are folded for every response.
 */
export const foldKey = (s: string): string => {
  let key = foldCache.get(s);
  if (key === undefined) {
    key = cleanText(s)
      .toLocaleLowerCase("vi")
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/đ/gu, "d")
      .normalize("NFC");
    if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear();
    foldCache.set(s, key);
  }
  return key;
};
const FOLD_CACHE_LIMIT = 20_000;
const foldCache = new Map<string, string>();

const collator = new Intl.Collator("vi", { numeric: true });

/** Vietnamese collation, not code-point order ("Đ" sorts after "D", "Ư" after "U"). */
export const compareVi = (a: string, b: string): number => collator.compare(a, b);

const numberFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });

/** 1234.5 → "1.234,5", the way Vietnamese documents write numbers. Memoised, as Intl is slow. */
export const formatNumberVi = (n: number): string => {
  let text = numberCache.get(n);
  if (text === undefined) {
    text = numberFormat.format(n);
    if (numberCache.size >= FOLD_CACHE_LIMIT) numberCache.clear();
    numberCache.set(n, text);
  }
  return text;
};
const numberCache = new Map<number, string>();

/** Points as documents print them: to two decimals, the Vietnamese way ("87,5"). */
export const roundPoints = (n: number): number => Math.round(n * 100) / 100;
export const formatPoints = (n: number): string => formatNumberVi(roundPoints(n));

/** A share in percent, to one decimal: 35 of 69 → 50.7. */
export const percentOf = (part: number, whole: number): number =>
  whole === 0 ? 0 : Math.round((part * 1000) / whole) / 10;
/** "50,7%". */
export const formatPercent = (percent: number): string => `${formatNumberVi(percent)}%`;

/** "trường học …" → "Trường học …" (a phrase at the start of a sentence or a title). */
export const upperFirst = (s: string): string => s.charAt(0).toLocaleUpperCase("vi") + s.slice(1);
/** "Bộ tiêu chí …" → "bộ tiêu chí …" (a title in the middle of a sentence). */
export const lowerFirst = (s: string): string => s.charAt(0).toLocaleLowerCase("vi") + s.slice(1);

const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

/**
 * At most `max` UTF-16 code units of `s`, cut at a grapheme boundary (never inside a surrogate
 * pair, an emoji sequence or a letter and its combining accent), with `mark` appended when cut.
 */
export const truncateText = (s: string, max: number, mark = "…"): string => {
  if (s.length <= max) return s;
  const room = Math.max(0, max - mark.length);
  // Only a window around the cut is segmented (segmenting a long text is slow: 50,000 characters
  // take seconds): boundaries are local, so 256 characters of context before it are plenty, and
  // the slack after keeps the last grapheme that fits whole.
  const from = Math.max(0, room - 256);
  let end = from;
  for (const { segment } of graphemes.segment(s.slice(from, room + 64))) {
    if (end + segment.length > room) break;
    end += segment.length;
  }
  return s.slice(0, end) + mark;
};
