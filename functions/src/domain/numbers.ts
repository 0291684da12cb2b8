/**
 * Numbers as Vietnamese write them: "." groups thousands and "," marks decimals ("1.234,5"), but
 * many people type the English way ("0.5"), and percentages come as "90%" or "90 %".
 * Returns undefined for anything that is not clearly one number.
 */
export const parseVietnameseNumber = (input: string): number | undefined => {
  let s = input.normalize("NFKC").trim();
  if (s.endsWith("%")) s = s.slice(0, -1).trimEnd();
  if (!/^[+-]?[\d.,]+$/u.test(s) || !/\d/u.test(s)) return undefined;
  const sign = s.startsWith("-") ? -1 : 1;
  s = s.replace(/^[+-]/u, "");
  const dots = s.split(".").length - 1;
  const commas = s.split(",").length - 1;
  let normalised: string;
  if (dots > 0 && commas > 0) {
    // Both: the last one is the decimal mark, the other groups thousands.
    const decimal = s.lastIndexOf(",") > s.lastIndexOf(".") ? "," : ".";
    const group = decimal === "," ? "." : ",";
    if (s.split(decimal).length - 1 !== 1 || !isGrouped(s.slice(0, s.indexOf(decimal)), group))
      return undefined;
    normalised = s.replaceAll(group, "").replace(decimal, ".");
  } else if (commas > 0) {
    // "0,5" is a decimal; "1,234,567" groups thousands (English habit). "1,000" is either one
    // (Vietnamese) or a thousand (English): too ambiguous to guess, so the school is asked again.
    if (commas === 1 && /^[1-9]\d{0,2},\d{3}$/u.test(s)) return undefined;
    if (commas === 1) normalised = s.replace(",", ".");
    else if (isGrouped(s, ",")) normalised = s.replaceAll(",", "");
    else return undefined;
  } else if (dots > 0) {
    // "1.234" and "1.234.567" group thousands (Vietnamese); "0.5" or "12.75" is a decimal.
    if (isGrouped(s, ".") && !/^0\./u.test(s)) normalised = s.replaceAll(".", "");
    else if (dots === 1) normalised = s;
    else return undefined;
  } else {
    normalised = s;
  }
  if (!/^\d+(\.\d+)?$/u.test(normalised)) return undefined;
  const n = sign * Number(normalised);
  return Number.isFinite(n) ? n : undefined;
};

/** "1.234.567" with group mark ".": 1-3 leading digits, then groups of exactly three. */
const isGrouped = (s: string, mark: string): boolean => {
  const parts = s.split(mark);
  return (
    parts.length > 1 && /^\d{1,3}$/u.test(parts[0] ?? "") && parts.slice(1).every((p) => /^\d{3}$/u.test(p))
  );
};
