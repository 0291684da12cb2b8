/**
 * What to do when Google refuses a command its credentials (GoogleAccessError), by who runs it:
 * the office's own Workspace user for the commands that own forms and sheets, the delivery job's
 * service account for those that upload and send, anyone for the rest. In Vietnamese, the
 * English beside, pointing at the step of docs/deploy.md.
 */
const OFFICE_USER = new Set(["setup", "sync", "export", "import"]);
const DELIVERY_JOB = new Set(["deliver", "send", "report"]);

export const accessAdvice = (command: string | undefined): string => {
  if (command && OFFICE_USER.has(command))
    return (
      "Lệnh này chạy bằng tài khoản Google Workspace của phòng (tài khoản dịch vụ không sở hữu được biểu mẫu, bảng tính): " +
      "gcloud auth application-default login --client-id-file=client.json --scopes=… như docs/deploy.md, bước 1; " +
      "hoặc làm việc không cần Google: setup --local, sync --xlsx TỆP. / " +
      "Run it as the office's Workspace user (docs/deploy.md, step 1), or without Google: setup --local, sync --xlsx FILE."
    );
  if (command && DELIVERY_JOB.has(command))
    return (
      "Lệnh này chạy bằng tài khoản dịch vụ của tác vụ gửi (dienhinh-job): kiểm tra thư mục Drive đã chia sẻ cho tài khoản này " +
      "(quyền Quản lý nội dung), ủy quyền toàn miền cho Gmail hoặc cấu hình SMTP (docs/deploy.md, bước 3–4); " +
      "trên máy của phòng: GOOGLE_APPLICATION_CREDENTIALS=tệp khóa của tài khoản đó. / " +
      "Run it as the delivery job's service account: the Drive folder shared with it, Gmail delegation or SMTP (docs/deploy.md, steps 3-4)."
    );
  return (
    "Chạy bằng tài khoản có quyền (GOOGLE_APPLICATION_CREDENTIALS, hoặc gcloud auth application-default login), " +
    "hoặc làm việc không cần Google: setup --local, sync --xlsx TỆP. / Run with credentials that have access, or without Google."
  );
};
