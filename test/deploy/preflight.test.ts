import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  commandsOf,
  deploy,
  FOLDER,
  GMAIL,
  JOB_SA,
  PROJECT,
  SMTP,
  startsWith,
  stubTools,
} from "./deploy-kit.js";

/**
 * scripts/deploy --preflight with stand-ins for gcloud and curl that answer as a project would:
 * STUB_* variables and policy-NAME.json files say what the project looks like, and every call is
 * logged (curl's stdin too, where the token goes).
 */
const ACCOUNT = "trienkhai@so-gddt.example.edu.vn";
const USER_TOKEN = "ya29.user-token-never-on-a-command-line";
const stubs = async () => {
  const stub = await stubTools("dienhinh-preflight-", ({ dir, log, logLine }) => ({
    gcloud: `${logLine}
case "$*" in
  "auth list"*) [ "\${STUB_SIGNED_IN:-1}" = 1 ] && echo "${ACCOUNT}" ;;
  "projects describe"*) echo ACTIVE ;;
  "billing projects describe"*) [ "\${STUB_BILLING:-True}" = error ] && exit 1; echo "\${STUB_BILLING:-True}" ;;
  "auth print-access-token"*) echo "${USER_TOKEN}" ;;
  "resource-manager org-policies describe "*)
    f="${dir}/policy-$4.json"
    if [ -f "$f" ]; then cat "$f"; else printf '{"constraint":"constraints/%s"}\\n' "$4"; fi ;;
  "iam service-accounts describe"*) [ "\${STUB_JOB_SA:-0}" = 1 ] && echo "${JOB_SA}" || exit 1 ;;
  "secrets describe"*) [ "\${STUB_SECRET:-1}" = 1 ] && echo projects/1/secrets/dienhinh-smtp-pass || exit 1 ;;
  *) exit 3 ;;
esac
exit 0`,
    curl: `${logLine}
stdin=$(cat); printf 'stdin\\x1f%s\\x1f\\n' "$stdin" >>"${log}"
[ "$stdin" = "Authorization: Bearer ${USER_TOKEN}" ] || [ "$stdin" = "Authorization: Bearer sa-token" ] || exit 22
data=""; url=""
while [ $# -gt 0 ]; do case "$1" in --data) data="$2"; shift 2 ;; http*) url="$1"; shift ;; *) shift ;; esac; done
case "$url" in
  *:testIamPermissions)
    printf '%s' "$data" | node -e 'const d = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const denied = (process.env.STUB_DENIED ?? "").split(",");
console.log(JSON.stringify({ permissions: d.permissions.filter((p) => !denied.includes(p)) }));' ;;
  *:generateAccessToken) [ "\${STUB_IMPERSONATE:-1}" = 1 ] || exit 22; echo '{"accessToken":"sa-token","expireTime":"x"}' ;;
  *drive/v3/files/*)
    [ "$stdin" = "Authorization: Bearer sa-token" ] || exit 22
    case "\${STUB_DRIVE:-shared}" in
      shared) echo '{"id":"${FOLDER}","mimeType":"application/vnd.google-apps.folder","driveId":"0AShared","capabilities":{"canAddChildren":true}}' ;;
      mydrive) echo '{"id":"${FOLDER}","mimeType":"application/vnd.google-apps.folder","capabilities":{"canAddChildren":true}}' ;;
      *) exit 22 ;;
    esac ;;
  *) exit 22 ;;
esac`,
    npm: `${logLine}\nexit 0`,
  }));
  const { dir } = stub;
  const policy = (name: string, value: unknown) =>
    writeFile(
      join(dir, `policy-${name}.json`),
      JSON.stringify({ constraint: `constraints/${name}`, ...(value as object) }),
    );
  return { ...stub, policy };
};

const preflight = async (
  env: Record<string, string> = {},
  setup?: (s: Awaited<ReturnType<typeof stubs>>) => Promise<unknown>,
) => {
  const s = await stubs();
  await setup?.(s);
  const run = await deploy({ ...GMAIL, ...env }, ["--preflight"], s.path);
  return { ...run, calls: await s.calls() };
};

/** The lines a check printed: its verdict, and what to do under it. */
const failures = (stdout: string) => stdout.split("\n").filter((l) => l.startsWith("  ✗"));

describe("scripts/deploy --preflight", () => {
  it("passes on a project that meets every prerequisite, and builds, enables or deploys nothing", async () => {
    const run = await preflight({ STUB_JOB_SA: "1" });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(failures(run.stdout)).toEqual([]);
    for (const line of [
      `  ✓ Đã đăng nhập gcloud / signed in as ${ACCOUNT}`,
      `  ✓ Dự án ${PROJECT} tồn tại / the project exists`,
      "  ✓ Đã bật thanh toán / billing is enabled",
      `  ✓ ${ACCOUNT} có đủ quyền triển khai / has every permission the deployment uses`,
      "  ✓ Thư mục Drive trong bộ nhớ dùng chung, tài khoản của job ghi được / the job's account can write to the folder",
    ])
      expect(run.stdout).toContain(line);
    for (const constraint of [
      "iam.allowedPolicyMemberDomains",
      "run.allowedIngress",
      "cloudfunctions.allowedIngressSettings",
      "gcp.restrictServiceUsage",
      "gcp.resourceLocations",
    ])
      expect(run.stdout).toContain(`  ✓ ${constraint}: không chặn`);
    // What gcloud cannot see is said as a step by hand: Gmail's delegation, the Forms setting.
    expect(run.stdout).toContain(
      "  ! Gmail: cần một quản trị viên cấp cao (super admin) của Google Workspace",
    );
    expect(run.stdout).toContain("  ! Google Forms:");
    expect(run.stdout).toContain(`PROJECT=${PROJECT} scripts/deploy`);
    // Only questions: nothing enabled, created, built or deployed.
    expect(run.calls.filter((c) => c[0] === "npm")).toEqual([]);
    for (const c of run.calls.filter((c) => c[0] === "gcloud"))
      expect(
        ["describe", "list", "print-access-token"].some((verb) => c.includes(verb)),
        c.join(" "),
      ).toBe(true);
    // The access tokens go to curl on its stdin, never on a command line.
    const argv = run.calls.filter((c) => c[0] === "curl").flat();
    expect(argv.join(" ")).not.toContain(USER_TOKEN);
    expect(argv.join(" ")).not.toContain("sa-token");
    expect(run.calls.some((c) => c[0] === "stdin" && c[1] === `Authorization: Bearer ${USER_TOKEN}`)).toBe(
      true,
    );
  });

  it("fails when billing is off, saying how to link a billing account", async () => {
    const run = await preflight({ STUB_BILLING: "False" });
    expect(run.code).toBe(1);
    expect(failures(run.stdout)).toEqual([
      `  ✗ Dự án ${PROJECT} chưa bật thanh toán (billing) / billing is not enabled on ${PROJECT}`,
    ]);
    expect(run.stdout).toContain(`gcloud billing projects link ${PROJECT} --billing-account=`);
    expect(run.stdout).toContain("✗ 1 điều kiện chưa đạt");
    // Billing that cannot be read is not said to be off: what to enable or ask for instead.
    const unread = await preflight({ STUB_BILLING: "error" });
    expect(unread.code).toBe(1);
    expect(failures(unread.stdout)).toEqual([
      `  ✗ Không đọc được thông tin thanh toán của dự án ${PROJECT} / could not read the project's billing`,
    ]);
    expect(unread.stdout).toContain("gcloud services enable cloudbilling.googleapis.com");
  });

  it("fails when an organisation policy keeps allUsers from the public functions, with the exception to ask for", async () => {
    const run = await preflight({}, (s) =>
      s.policy("iam.allowedPolicyMemberDomains", { listPolicy: { allowedValues: ["is:C03abc123"] } }),
    );
    expect(run.code).toBe(1);
    const [line, ...rest] = failures(run.stdout);
    expect(rest).toEqual([]);
    expect(line).toContain("Chính sách tổ chức iam.allowedPolicyMemberDomains chặn");
    expect(line).toContain("allUsers");
    expect(run.stdout).toContain(`đặt ngoại lệ cho riêng dự án ${PROJECT}`);
    // The other policies are still checked and reported.
    expect(run.stdout).toContain("  ✓ run.allowedIngress: không chặn");
  });

  it("fails on an ingress policy that allows internal traffic only, and on a region outside the allowed locations", async () => {
    const run = await preflight({}, async (s) => {
      await s.policy("run.allowedIngress", { listPolicy: { allowedValues: ["internal"] } });
      await s.policy("gcp.resourceLocations", { listPolicy: { allowedValues: ["in:europe-locations"] } });
    });
    expect(run.code).toBe(1);
    expect(failures(run.stdout).map((l) => l.split(" chặn")[0])).toEqual([
      "  ✗ Chính sách tổ chức run.allowedIngress",
      "  ✗ Chính sách tổ chức gcp.resourceLocations",
    ]);
    const allowed = await preflight({}, (s) =>
      s.policy("gcp.resourceLocations", { listPolicy: { allowedValues: ["in:asia-locations"] } }),
    );
    expect(allowed.code, allowed.stdout).toBe(0);
  });

  it("names the permissions the deployer lacks", async () => {
    const run = await preflight({
      STUB_DENIED: "run.jobs.setIamPolicy,resourcemanager.projects.setIamPolicy",
    });
    expect(run.code).toBe(1);
    const [line] = failures(run.stdout);
    expect(line).toContain(`${ACCOUNT} thiếu quyền / lacks permissions:`);
    expect(line).toContain("resourcemanager.projects.setIamPolicy");
    expect(line).toContain("run.jobs.setIamPolicy");
    expect(run.stdout).toContain(`--member=user:${ACCOUNT} --role=roles/owner`);
  });

  it("checks the Drive folder as the job's account: on a shared drive, or says what to do", async () => {
    const mine = await preflight({ STUB_JOB_SA: "1", STUB_DRIVE: "mydrive" });
    expect(mine.code).toBe(1);
    expect(failures(mine.stdout)).toEqual([
      `  ✗ Thư mục ${FOLDER} không nằm trong bộ nhớ dùng chung / not on a shared drive`,
    ]);
    const unseen = await preflight({ STUB_JOB_SA: "1", STUB_DRIVE: "none" });
    expect(failures(unseen.stdout)[0]).toContain(`${JOB_SA} không thấy thư mục ${FOLDER}`);
    // Before the first deployment the account does not exist: a step to do after, not a failure.
    const first = await preflight();
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`  ! Tài khoản ${JOB_SA} chưa có (lần triển khai đầu)`);
  });

  it("stops at the first check when gcloud is not signed in", async () => {
    const run = await preflight({ STUB_SIGNED_IN: "0" });
    expect(run.code).toBe(1);
    expect(failures(run.stdout)).toEqual(["  ✗ Chưa đăng nhập gcloud / gcloud is not signed in"]);
    expect(run.calls.some((c) => startsWith(c, "gcloud", "billing"))).toBe(false);
  });

  it("with SMTP, checks the password secret instead of Gmail's delegation", async () => {
    const s = await stubs();
    const missing = await deploy({ ...SMTP, STUB_SECRET: "0" }, ["--preflight"], s.path);
    expect(missing.code).toBe(1);
    expect(failures(missing.stdout)[0]).toContain("Chưa có secret dienhinh-smtp-pass");
    expect(missing.stdout).toContain("gcloud secrets create dienhinh-smtp-pass --data-file=-");
    expect(missing.stdout).not.toContain("Gmail:");
    const present = await deploy(SMTP, ["--preflight"], s.path);
    expect(present.code, present.stdout).toBe(0);
  });

  it("with --dry-run prints its questions and asks none", async () => {
    const s = await stubs();
    const run = await deploy(GMAIL, ["--preflight", "--dry-run"], s.path);
    expect(run.code).toBe(0);
    expect(await s.calls()).toEqual([]);
    const commands = commandsOf(run.stdout);
    expect(commands.some((c) => startsWith(c, "gcloud", "billing", "projects", "describe", PROJECT))).toBe(
      true,
    );
    expect(
      commands
        .filter((c) => startsWith(c, "gcloud", "resource-manager", "org-policies", "describe"))
        .map((c) => c[4]),
    ).toEqual([
      "iam.allowedPolicyMemberDomains",
      "run.allowedIngress",
      "cloudfunctions.allowedIngressSettings",
      "gcp.restrictServiceUsage",
      "gcp.resourceLocations",
    ]);
    expect(run.stdout).not.toContain("✓");
  });
});
