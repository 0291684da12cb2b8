/**
 * What an email says, for its templates (templates/email/{kind}.subject.hbs, .html.hbs, .txt.hbs):
 * `ket-qua` to a school (its result, and the notice when it must fix something), `bao-cao` to the
 * office and the Department (the summary report, the decision and the workbook).
 */
export interface EmailView {
  kind: "ket-qua" | "bao-cao";
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
  /** File names of the attachments, as listed in the body. */
  attachments: string[];
  sample: boolean;
}
