import type { DigestView } from "./digest.js";

/**
 * What an email says, for its templates (templates/email/{kind}.subject.hbs, .html.hbs, .txt.hbs):
 * `ket-qua` to a school (its result, and the notice when it must fix something), `lich-kiem-tra` to
 * a school (when and where the inspection team comes), `bao-cao` to the office (the summary report,
 * the proposal, the draft decision and the workbook), `nhac-han` to a school (a deadline near or
 * passed, and what it still lacks), `tong-hop` to the office (its daily digest: what changed, who is
 * behind, the Công văn đôn đốc to sign), `vu-viec` to the office's leader (an incident a school
 * reported), `xac-nhan` to a school (its response received: an automatic acknowledgement with what
 * its self-check shows, plainly not an official document; approval.ts).
 */
export interface EmailView {
  kind: "ket-qua" | "xac-nhan" | "bao-cao" | "lich-kiem-tra" | "nhac-han" | "tong-hop" | "vu-viec";
  /** Who writes: "Phòng Giáo dục và Đào tạo" (as it reads mid-sentence) and its parent body. */
  office: { issuingBody: string; parentBody: string; email: string; place: string };
  schoolYear: string;
  /** Who it is addressed to ("Kính gửi: …"). */
  to: string;
  /** The school, for ket-qua. */
  school?: { code: string; name: string };
  /** The school's latest response was set aside (quarantined): it is told what to send again, no result. */
  setAside?: boolean;
  /** Where the school stands and what comes next, in a sentence (absent when it must fix something). */
  standing?: string;
  status?: string;
  points?: string;
  maxPoints?: string;
  /** What to fix, for a school that must. */
  missing?: string[];
  /** Facts of the period the school reported that rule it out (stated, not to fix). */
  facts?: string[];
  /** What the inspection team did not confirm, with its reasons (Không đạt). */
  rejected?: string[];
  /** "dd/mm/yyyy", when the school must send again. */
  deadline?: string;
  formUrl?: string;
  /** The school's status page (its signed link, or the local run's page): every email to a school carries it. */
  statusUrl?: string;
  /** For bao-cao: the headline figures. */
  figures?: {
    schools: string;
    /** Found Đạt by inspection (recognised since or not), and as a share. */
    passed: string;
    passedPercent: string;
    recognised: string;
    percent: string;
    remaining: string;
  };
  /** For lich-kiem-tra: when and where the team comes, and who is in it ("Họ tên, Đơn vị"). */
  plan?: {
    /** "08:00, thứ Ba, ngày 15/12/2026". */
    when: string;
    place: string;
    teamName?: string;
    team: string[];
    /** A plan the school was told before has changed. */
    changed: boolean;
  };
  /** For nhac-han: which deadline, when, and where the school stands against it. */
  reminder?: {
    /** "hạn nộp hồ sơ" (as it reads mid-sentence). */
    title: string;
    /** "dd/mm/yyyy". */
    due: string;
    /** "còn 3 ngày", "hôm nay là hạn cuối", "đã quá hạn". */
    when: string;
    overdue: boolean;
    /** The reason the office extended this school's deadline. */
    extendedBecause?: string;
  };
  /** For tong-hop: the day's changes and who is behind, by commune. */
  digest?: DigestView;
  /** For vu-viec: the incident as the school reported it. */
  incident?: {
    /** "3.4. Vụ phạm tội nghiêm trọng trở lên". */
    kind: string;
    /** "dd/mm/yyyy". */
    date: string;
    description: string;
    /** "Nguyễn Văn A (Hiệu trưởng), hieutruong@…". */
    reportedBy: string;
    /** When the school sent it: "05/10/2026 08:30". */
    sentAt: string;
  };
  /** For xac-nhan: what was received and when, and where the school's self-check stands. */
  receipt?: {
    /** "hồ sơ tự đánh giá", "phiếu đăng ký" (mid-sentence). */
    what: string;
    /** "22/11/2026 08:30". */
    at: string;
  };
  /** File names of the attachments, as listed in the body. */
  attachments: string[];
  sample: boolean;
}
