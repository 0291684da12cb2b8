/**
 * The tabs of the office's tracking workbook: their keys, their fixed Google Sheets ids, and the
 * fields each can show (who owns each: the system, the office, or either). sheet-layout.ts says how
 * they look.
 */

export const TAB_KEYS = [
  "overview",
  "control",
  "tracking",
  "schedule",
  "inspection",
  "decision",
  "narrative",
  "calendar",
  "extensions",
  "chase",
  "registry",
  "criteria",
  "log",
  "guide",
] as const;
export type TabKey = (typeof TAB_KEYS)[number];

/**
 * Google Sheets ids of the tabs dienhinh creates: fixed, so one batchUpdate can create and lay out
 * a tab, and a tab the office renamed is still found.
 */
export const TAB_IDS: Record<TabKey, number> = {
  overview: 1001,
  tracking: 1002,
  registry: 1003,
  criteria: 1004,
  log: 1005,
  schedule: 1006,
  inspection: 1007,
  decision: 1008,
  narrative: 1009,
  calendar: 1010,
  extensions: 1011,
  chase: 1012,
  control: 1013,
  guide: 1020,
};

/** Fields each tab can show. `office` marks fields the office types in; the rest the system writes. */
export const TAB_FIELDS = {
  overview: {
    group: "system",
    schools: "system",
    submitted: "system",
    "chua-dang-ky": "system",
    "da-dang-ky": "system",
    "can-bo-sung": "system",
    "khong-du-dieu-kien": "system",
    "cho-kiem-tra": "system",
    dat: "system",
    "khong-dat": "system",
    "duoc-cong-nhan": "system",
    /** Found Đạt by inspection, recognised since or not ("đạt qua kiểm tra"). */
    passed: "system",
    passedShare: "system",
    /** Share recognised by the competent authority, against the 100% target. */
    recognised: "system",
    target: "system",
    remaining: "system",
  },
  tracking: {
    code: "system",
    name: "system",
    level: "system",
    commune: "system",
    status: "system",
    lastSubmitted: "system",
    /** A response sent after the school's deadline: marked for the office to decide (lateness.ts). */
    late: "system",
    /** Expands to one column per criterion of the active set. */
    criteria: "system",
    points: "system",
    missing: "system",
    report: "system",
    /** The result's Word copy (a Google Doc in a deployment), beside its PDF. */
    reportDocx: "system",
    /** The office's approval to mail the school its documents (approval.ts). */
    approve: "office",
    /** The registered number of the school's signed Thông báo kết quả. */
    number: "office",
    mailedAt: "system",
    /** The inspection's verdict, from the findings of the Kiểm tra tab. */
    verdict: "system",
    /** The incidents the school reported (the incident form): how many, the latest. */
    incidents: "system",
    note: "office",
  },
  /** Lịch kiểm tra: a row per school, the plan typed by the office. */
  schedule: {
    code: "system",
    name: "system",
    level: "system",
    commune: "system",
    status: "system",
    teamName: "office",
    /** "Họ tên (Đơn vị); …", the leader first. */
    team: "office",
    date: "office",
    time: "office",
    place: "office",
    /** Proposed for commendation too (Có). */
    commend: "office",
    verdict: "system",
    check: "system",
  },
  /** Kiểm tra: a row per school and applicable indicator, the team's finding typed by the office. */
  inspection: {
    code: "system",
    name: "system",
    indicator: "system",
    text: "system",
    mandatory: "system",
    answer: "system",
    evidence: "system",
    finding: "office",
    reason: "office",
    check: "system",
    /** A reported incident against a dossier's 0 of its kind: flagged, never failed by itself. */
    crosscheck: "system",
  },
  /** Điều khiển: the office's pause switch and its requests for documents (control.ts). */
  control: {
    item: "system",
    value: "office",
    result: "system",
    at: "system",
    note: "system",
  },
  /** Báo cáo: the narrative parts of the office's report to the Sở, in its own words. */
  narrative: {
    part: "system",
    text: "office",
  },
  /** Lịch: the campaign's windows and deadlines, a row each, their days typed by the office. */
  calendar: {
    item: "system",
    from: "office",
    to: "office",
    state: "system",
    check: "system",
  },
  /** Gia hạn: a school's own later deadline, granted by the office with its reason. */
  extensions: {
    code: "office",
    name: "system",
    deadline: "office",
    until: "office",
    reason: "office",
    check: "system",
  },
  /** Đôn đốc: the schools past a deadline with nothing received, and whom to call. */
  chase: {
    code: "system",
    name: "system",
    level: "system",
    commune: "system",
    deadline: "system",
    overdue: "system",
    lacking: "system",
    head: "system",
    phone: "system",
  },
  /** Quyết định công nhận: the competent authority's decisions, recorded by the office. */
  decision: {
    number: "office",
    date: "office",
    schools: "system",
    list: "system",
    check: "system",
  },
  registry: {
    code: "either",
    name: "either",
    level: "either",
    commune: "either",
    ownership: "either",
    emails: "either",
    /** The head (Hiệu trưởng) and the school's phone: optional in the registry. */
    head: "either",
    phone: "either",
    check: "system",
  },
  criteria: {
    criterion: "system",
    indicator: "system",
    text: "system",
    requirement: "system",
    stage: "system",
    levels: "system",
    mandatory: "system",
    points: "system",
  },
  log: {
    time: "system",
    kind: "system",
    code: "system",
    school: "system",
    message: "system",
  },
  /** Hướng dẫn: the clerk's guide, a line per topic (guide-tab.ts); nothing is read back. */
  guide: {
    topic: "system",
    text: "system",
  },
} as const satisfies Record<TabKey, Record<string, "system" | "office" | "either">>;
