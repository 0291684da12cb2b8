/**
 * The argument parser's own messages (commander's) in the office's language, English beside, as
 * every other message of the command line: "unknown command", "did you mean", a missing argument
 * or value. A message it does not know keeps its English after "Lỗi".
 */
const MESSAGES: ReadonlyArray<[RegExp, (...parts: string[]) => string]> = [
  [/^error: unknown command '(.+)'$/u, (c) => `Lỗi: không có lệnh “${c}” / unknown command '${c}'`],
  [/^error: unknown option '(.+)'$/u, (o) => `Lỗi: không có tùy chọn “${o}” / unknown option '${o}'`],
  [
    /^error: missing required argument '(.+)'$/u,
    (a) => `Lỗi: thiếu đối số “${a}” / missing required argument '${a}'`,
  ],
  [
    /^error: option '(.+)' argument missing$/u,
    (o) => `Lỗi: tùy chọn “${o}” cần một giá trị / option '${o}' argument missing`,
  ],
  [
    /^error: required option '(.+)' not specified$/u,
    (o) => `Lỗi: thiếu tùy chọn bắt buộc “${o}” / required option '${o}' not specified`,
  ],
  [
    /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/u,
    (command, expected, got) =>
      `Lỗi: thừa đối số${command ? ` cho lệnh “${command}”` : ""}: cần ${expected}, nhận ${got} / ` +
      `too many arguments${command ? ` for '${command}'` : ""}: expected ${expected}, got ${got}`,
  ],
  [
    /^error: option '(.+)' argument '(.+)' is invalid\.(.*)$/u,
    (o, v, why) =>
      `Lỗi: giá trị “${v}” của tùy chọn “${o}” không hợp lệ / option '${o}' argument '${v}' is invalid.${why}`,
  ],
];

const SUGGESTION = /^\(Did you mean (one of )?(.+)\?\)$/u;

/** One line of commander's error output, in Vietnamese with the English beside. */
const translateLine = (line: string): string => {
  const suggestion = SUGGESTION.exec(line);
  if (suggestion) {
    const [, several, names] = suggestion;
    return several
      ? `(Có phải ý bạn là một trong: ${names}? / Did you mean one of ${names}?)`
      : `(Có phải ý bạn là ${names}? / Did you mean ${names}?)`;
  }
  for (const [pattern, say] of MESSAGES) {
    const match = pattern.exec(line);
    if (match) return say(...match.slice(1).map((p) => p ?? ""));
  }
  return line.replace(/^error: /u, "Lỗi / error: ");
};

/** Commander's error text (one or more lines), translated line by line. */
export const translateParserError = (text: string): string =>
  text
    .split("\n")
    .map((line) => (line ? translateLine(line) : line))
    .join("\n");

/** The headings of the help text ("Usage:", "Options:"), in Vietnamese with the English beside. */
const TITLES: Record<string, string> = {
  "Usage:": "Cách dùng / Usage:",
  "Options:": "Tùy chọn / Options:",
  "Arguments:": "Đối số / Arguments:",
  "Commands:": "Lệnh / Commands:",
  "Global Options:": "Tùy chọn chung / Global Options:",
};
export const helpTitle = (title: string): string => TITLES[title] ?? title;
