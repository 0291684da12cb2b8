import { describe, expect, it } from "vitest";
import { prefilledFormUrl, schoolOption } from "../../functions/src/domain/form-spec.js";
import { SCHOOLS } from "../kit/campaign.js";

const school = SCHOOLS[1] as (typeof SCHOOLS)[number];

describe("the form's link prefilled with the school", () => {
  it("sets the school question (its id read as hexadecimal) to the school's option", () => {
    const url = prefilledFormUrl(
      {
        responderUri: "https://docs.google.com/forms/d/e/1FAIpQLSe/viewform",
        bindings: [
          { questionId: "3f1a2b", title: "Trường (đơn vị)", role: "school" },
          { questionId: "00aa11", title: "1.1", role: "value", indicatorId: "1.1" },
        ],
      },
      school,
    );
    const parsed = new URL(url ?? "");
    expect(parsed.origin + parsed.pathname).toBe("https://docs.google.com/forms/d/e/1FAIpQLSe/viewform");
    expect(parsed.searchParams.get("usp")).toBe("pp_url");
    expect(parsed.searchParams.get(`entry.${0x3f1a2b}`)).toBe(schoolOption(school));
  });

  it("gives the plain link for a form whose ids are not Google's, and nothing without a link", () => {
    const local = {
      responderUri: "http://127.0.0.1/form",
      bindings: [{ questionId: "truong", title: "x", role: "school" as const }],
    };
    expect(prefilledFormUrl(local, school)).toBe("http://127.0.0.1/form");
    expect(prefilledFormUrl({ bindings: [] }, school)).toBeUndefined();
    expect(prefilledFormUrl(undefined, school)).toBeUndefined();
  });
});
