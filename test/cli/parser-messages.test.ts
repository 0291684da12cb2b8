import { describe, expect, it } from "vitest";
import { helpTitle, translateParserError } from "../../functions/src/cli/parser-messages.js";

/** Commander's messages, as it prints them, in the office's language with the English kept beside. */
describe("the argument parser's messages", () => {
  it.each([
    ["error: unknown command 'serv'", "Lỗi: không có lệnh “serv” / unknown command 'serv'"],
    ["error: unknown option '--jsn'", "Lỗi: không có tùy chọn “--jsn” / unknown option '--jsn'"],
    [
      "error: missing required argument 'file'",
      "Lỗi: thiếu đối số “file” / missing required argument 'file'",
    ],
    [
      "error: too many arguments for 'run'. Expected 0 arguments but got 1.",
      "Lỗi: thừa đối số cho lệnh “run”: cần 0, nhận 1 / too many arguments for 'run': expected 0, got 1",
    ],
    ["(Did you mean serve?)", "(Có phải ý bạn là serve? / Did you mean serve?)"],
    [
      "(Did you mean one of send, serve?)",
      "(Có phải ý bạn là một trong: send, serve? / Did you mean one of send, serve?)",
    ],
    ["error: something new", "Lỗi / error: something new"],
  ])("%s", (english, both) => {
    expect(translateParserError(`${english}\n`)).toBe(`${both}\n`);
  });

  it("translates each line of a message that has several", () => {
    expect(
      translateParserError("error: unknown command 'serv'\n(Did you mean serve?)\n").split("\n"),
    ).toEqual([
      "Lỗi: không có lệnh “serv” / unknown command 'serv'",
      "(Có phải ý bạn là serve? / Did you mean serve?)",
      "",
    ]);
  });

  it("names the help's headings in both languages, and leaves others as they are", () => {
    expect(["Usage:", "Options:", "Commands:", "Other:"].map(helpTitle)).toEqual([
      "Cách dùng / Usage:",
      "Tùy chọn / Options:",
      "Lệnh / Commands:",
      "Other:",
    ]);
  });
});
