import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_CRITERIA_FILE,
  loadCriteriaSet,
  parseCriteriaSet,
} from "../../functions/src/data/criteria-file.js";
import { DataFileError } from "../../functions/src/data/errors.js";

const defaultText = readFileSync(DEFAULT_CRITERIA_FILE, "utf8");

/** The default file with one piece of text replaced: a realistic slip of an office clerk's hand. */
const broken = (find: string, replace: string) => {
  if (!defaultText.includes(find)) throw new Error(`fixture text not found: ${find}`);
  return defaultText.replace(find, replace);
};

const lineOf = (text: string, find: string) => text.slice(0, text.indexOf(find)).split("\n").length;

const errorOf = (text: string): DataFileError => {
  try {
    parseCriteriaSet(text, "tieu-chi-loi.yaml");
  } catch (error) {
    if (error instanceof DataFileError) return error;
    throw error;
  }
  throw new Error("expected the criteria file to be rejected");
};

/** The schema's path of an issue, without the place named for the office ("Tiêu chí 4, chỉ tiêu 4.1 (…)"). */
const technical = (path: string): string => /\(([^()]*)\)$/u.exec(path)?.[1] ?? path;

describe("criteria files", () => {
  it("loads the shipped default set", async () => {
    const set = await loadCriteriaSet();
    expect(set.id).toBe("an-ninh-truong-hoc");
    expect(set.criteria.flatMap((c) => c.indicators)).toHaveLength(22);
    expect(set.award).toBe("trường học điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc");
  });

  it("takes the title schools are recognised with from the set's title when a file does not give it", () => {
    const without = broken("award: trường học điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc\n", "");
    expect(parseCriteriaSet(without, "cu.yaml").award).toBe(
      "trường học điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc",
    );
    const traffic = without.replace(/^title: .*$/mu, "title: Tiêu chí Trường học an toàn giao thông");
    expect(parseCriteriaSet(traffic, "cu.yaml").award).toBe("trường học an toàn giao thông");
  });

  it.each([
    [
      "an unknown kind",
      "kind: zero\n        text: Số vụ bạo lực",
      "kind: so-vu\n        text: Số vụ bạo lực",
      "criteria[3].indicators[0].kind",
      "kind: so-vu",
    ],
    [
      "a comparison that does not exist",
      'threshold: { op: ">=", value: 70 }',
      'threshold: { op: "=>", value: 70 }',
      "criteria[5].indicators[0].threshold.op",
      'op: "=>"',
    ],
    [
      "a threshold that is not a number",
      'threshold: { op: ">=", value: 2 }',
      'threshold: { op: ">=", value: hai }',
      "criteria[1].indicators[2].threshold.value",
      "value: hai",
    ],
    [
      "an unknown level",
      "levels: [tieu-hoc, thcs, thpt]",
      "levels: [tieu-hoc, thcs, dai-hoc]",
      "criteria[1].indicators[1].levels[2]",
      "levels: [tieu-hoc, thcs, dai-hoc]",
    ],
    [
      "an accepted option not in the list",
      "          - Hoàn thành tốt nhiệm vụ\n        notApplicableOption",
      "          - Hoàn thành rất tốt\n        notApplicableOption",
      "criteria[4].indicators[1].accepted[1]",
      "- Hoàn thành rất tốt",
    ],
    [
      "a duplicated indicator id",
      'id: "4.2"',
      'id: "4.1"',
      "criteria[3].indicators[1].id",
      'id: "4.1"\n        kind: zero\n        text: Số cán bộ',
    ],
    [
      "a missing subject",
      "        subject: vụ bạo lực học đường\n",
      "",
      "criteria[3].indicators[0].subject",
      'id: "4.1"',
    ],
  ])("names the file, the path and the line for %s", (_name, find, replace, path, lineText) => {
    const text = broken(find, replace);
    const error = errorOf(text);
    expect(error.message).toMatch(/^Tệp bộ tiêu chí tieu-chi-loi\.yaml không hợp lệ:/);
    const issue = error.issues.find((i) => technical(i.path) === path);
    expect(issue, `issues: ${JSON.stringify(error.issues)}`).toBeDefined();
    expect(issue?.line).toBe(lineOf(text, lineText));
    expect(error.message).toContain(`(${path}) (dòng ${issue?.line}): `);
    // Named first as the office numbers its criteria, 1-based where the file gives no id.
    expect(issue?.path).toMatch(/^Tiêu chí \d+(, chỉ tiêu \d+\.\d+)? \(/u);
  });

  it("reports every problem of a file at once: an unknown kind, negative points and a duplicated id", () => {
    const text = broken("kind: zero\n        text: Số vụ bạo lực", "kind: so-vu\n        text: Số vụ bạo lực")
      .replace(
        '    points: 15\n    indicators:\n      - id: "4.1"',
        '    points: -15\n    indicators:\n      - id: "4.1"',
      )
      .replace('id: "4.2"', 'id: "4.1"');
    const error = errorOf(text);
    const at = (path: string) => error.issues.find((i) => technical(i.path) === path);
    expect(at("criteria[3].indicators[0].kind")?.line).toBe(lineOf(text, "kind: so-vu"));
    expect(at("criteria[3].indicators[0].kind")?.path).toBe(
      "Tiêu chí 4, chỉ tiêu 4.1 (criteria[3].indicators[0].kind)",
    );
    expect(at("criteria[3].points")?.line).toBe(lineOf(text, "points: -15"));
    expect(at("criteria[3].indicators[1].id")).toMatchObject({
      message: 'mã chỉ tiêu "4.1" bị trùng với criteria[3].indicators[0]',
      line: lineOf(text, 'id: "4.1"\n        kind: zero\n        text: Số cán bộ'),
    });
    expect(error.issues).toHaveLength(3);
  });

  it("reports a duplicated criterion id and a bad accepted option alongside a missing field", () => {
    const text = broken('  - id: "4"\n', '  - id: "3"\n')
      .replace(
        "          - Hoàn thành tốt nhiệm vụ\n        notApplicableOption",
        "          - Hoàn thành rất tốt\n        notApplicableOption",
      )
      .replace("        subject: vụ bạo lực học đường\n", "");
    const paths = errorOf(text).issues.map((i) => technical(i.path));
    expect(paths).toEqual(
      expect.arrayContaining([
        "criteria[3].id",
        "criteria[4].indicators[1].accepted[1]",
        "criteria[3].indicators[0].subject",
      ]),
    );
  });

  it("rejects a misspelt key instead of ignoring it, and says the real one is missing", () => {
    const text = broken(
      '    points: 15\n    indicators:\n      - id: "4.1"',
      '    point: 15\n    indicators:\n      - id: "4.1"',
    );
    const error = errorOf(text);
    expect(error.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: "Tiêu chí 4 (criteria[3].points)", message: "thiếu, cần khai báo" }),
        expect.objectContaining({
          path: "Tiêu chí 4 (criteria[3])",
          message: expect.stringContaining('"point"'),
        }),
      ]),
    );
  });

  it("explains which kinds exist when the kind is wrong", () => {
    const error = errorOf(broken("kind: choice", "kind: rating"));
    expect(error.issues[0]?.message).toContain(
      'evidence (có/không kèm minh chứng), number (số), zero (số vụ phải bằng 0), choice (lựa chọn); nhận được "rating"',
    );
  });

  it("reports YAML syntax errors with their line", () => {
    const error = errorOf("id: x\ncriteria: [\n  - oops: {\n");
    expect(error.issues[0]?.message).toMatch(/^lỗi cú pháp YAML/);
    expect(error.issues[0]?.line).toBeGreaterThan(1);
  });

  it("says when the file does not exist", async () => {
    await expect(loadCriteriaSet("/khong/co/tep.yaml")).rejects.toThrow(
      /\/khong\/co\/tep\.yaml không hợp lệ:\n {2}- \(toàn tệp\): không tìm thấy tệp/,
    );
  });

  it("accepts JSON as well as YAML", () => {
    const set = parseCriteriaSet(JSON.stringify(parseCriteriaSet(defaultText, "a.yaml")), "a.json");
    expect(set).toEqual(parseCriteriaSet(defaultText, "a.yaml"));
  });
});
