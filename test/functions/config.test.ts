import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { ConfigError, envSchema, parseConfig, REQUIRED } from "../../functions/src/config.js";

/** The one configuration schema: what it refuses, and that README documents every variable. */
const keysOf = () => Object.keys(envSchema.shape);

describe("configuration", () => {
  it("documents every variable in README's Configuration table", async () => {
    const readme = await readFile("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Data files"));
    const keys = keysOf();
    expect(keys.length).toBeGreaterThan(15);
    expect(keys.filter((key) => !section.includes(`\`${key}\``))).toEqual([]);
  });

  it("says which variable a function lacks, before any work", () => {
    const local = { FIRESTORE_EMULATOR_HOST: "127.0.0.1:8080" };
    // The Apps Script push's keys are each campaign's, in Firestore: nothing to set for ingestResponse.
    expect(REQUIRED.ingestResponse).toEqual([]);
    expect(() => parseConfig(local, "ingestResponse")).not.toThrow();
    expect(() => parseConfig(local, "reconcile")).toThrow(
      /DIENHINH_OIDC_AUDIENCE, DIENHINH_OIDC_EMAILS, DIENHINH_WATCH_TOPIC/u,
    );
    // The delivery job's disk is gone when it ends: it must really send.
    const job = { ...local, CLOUD_RUN_JOB: "dienhinh-deliver" };
    expect(() => parseConfig(job, "deliver")).toThrow(/DIENHINH_MAIL phải là smtp hoặc gmail/u);
    expect(
      parseConfig({ ...job, DIENHINH_MAIL: "smtp", DIENHINH_SMTP_HOST: "relay" }, "deliver").mail,
    ).toEqual({ kind: "smtp", host: "relay", port: 587, insecure: false });
    expect(parseConfig(local, "deliver").mail.kind).toBe("file"); // on an office computer
    expect(() => parseConfig({}, "onFormResponses")).toThrow(/GOOGLE_CLOUD_PROJECT/u);
    expect(parseConfig({ GOOGLE_CLOUD_PROJECT: "p" }, "onFormResponses").mail.kind).toBe("file");
    expect(REQUIRED.cli).toEqual([]);
  });

  it("refuses wrong values with the variable's name, and takes an empty value as unset", () => {
    const fails = (env: Record<string, string>, pattern: RegExp) => {
      let error: unknown;
      try {
        parseConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(pattern);
    };
    fails({ DIENHINH_MAIL: "smtp" }, /DIENHINH_SMTP_HOST: cần khi DIENHINH_MAIL=smtp/u);
    fails({ DIENHINH_MAIL: "gmail" }, /DIENHINH_GMAIL_SENDER/u);
    fails({ DIENHINH_MAIL: "pigeon" }, /DIENHINH_MAIL/u);
    fails({ DIENHINH_WATCH_TOPIC: "form-responses" }, /projects\/PROJECT\/topics\/TOPIC/u);
    fails({ DIENHINH_SMTP_PORT: "70000" }, /DIENHINH_SMTP_PORT/u);
    // Local OIDC keys would let anyone holding the private key call reconcile: never in production.
    fails(
      { DIENHINH_OIDC_CERTS: JSON.stringify({ k: "-----BEGIN PUBLIC KEY-----" }), GOOGLE_CLOUD_PROJECT: "p" },
      /DIENHINH_OIDC_CERTS: chỉ dùng khi chạy cục bộ/u,
    );
    fails({ DIENHINH_OIDC_CERTS: "not json", FIRESTORE_EMULATOR_HOST: "h:1" }, /DIENHINH_OIDC_CERTS/u);
    const config = parseConfig({ DIENHINH_MAIL: "", DIENHINH_OIDC_EMAILS: " A@x.vn, b@y.vn ," });
    expect(config.mail.kind).toBe("file");
    expect(config.env.DIENHINH_OIDC_EMAILS).toEqual(["a@x.vn", "b@y.vn"]);
  });
});
