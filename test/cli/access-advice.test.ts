import { describe, expect, it } from "vitest";
import { accessAdvice } from "../../functions/src/cli/access-advice.js";

/** A credentials error says what to do for whoever runs the command. */
describe("the advice on a refused Google access", () => {
  it("sends the office's commands to its own Workspace user, with the way to work without Google", () => {
    for (const command of ["setup", "sync", "export", "import"]) {
      expect(accessAdvice(command)).toContain("tài khoản Google Workspace của phòng");
      expect(accessAdvice(command)).toContain("setup --local, sync --xlsx TỆP");
    }
  });

  it("sends the delivery commands to the job's service account: Drive folder, Gmail delegation or SMTP", () => {
    for (const command of ["deliver", "send", "report"]) {
      expect(accessAdvice(command)).toContain("tài khoản dịch vụ của tác vụ gửi (dienhinh-job)");
      expect(accessAdvice(command)).toContain("docs/deploy.md, bước 3–4");
    }
  });

  it("gives the general advice for any other command, in both languages", () => {
    expect(accessAdvice("criteria")).toMatch(/^Chạy bằng tài khoản có quyền .* \/ Run with credentials/u);
    expect(accessAdvice(undefined)).toBe(accessAdvice("criteria"));
  });
});
