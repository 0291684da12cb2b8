import { APPROVE } from "../domain/approval.js";
import { addDays, calendarOf, DEADLINE_LABELS } from "../domain/calendar.js";
import type { Campaign } from "../domain/campaign.js";
import { issuerName } from "../domain/documents.js";
import { FINDING_LABELS } from "../domain/inspection.js";
import { compareSchools, type School } from "../domain/school.js";
import { hasOutcomeToTell, pendingQuarantine, type SchoolState } from "../domain/school-state.js";
import type { TabKey } from "../domain/sheet-layout.js";
import type { SheetSnapshot } from "../domain/sheet-readback.js";
import { formatDateVi } from "../domain/time.js";
import { type Cell, gridOf, type TabModel } from "../domain/tracking-workbook.js";

/**
 * The sample office's inspection tables, filled in as its staff would (deterministic): of the
 * schools Chờ kiểm tra, three in five are planned; all but the last two planned are
 * inspected (every indicator confirmed, except one school rejected on one indicator with a reason),
 * the first inspected is proposed for commendation, the rest keep waiting; the results approved for
 * sending but the three latest, the first ten numbered. Written into the tabs of
 * the workbook as it stands, and taken back by the same read-back as a real sheet's.
 */
/** "Phú Xuân" → "xã Phú Xuân"; "Thị trấn Nhà Bè" and "Phường 1" keep their own kind. */
const localName = (commune: string) =>
  /^(thị trấn|phường|xã)\s/iu.test(commune)
    ? commune.charAt(0).toLocaleLowerCase("vi") + commune.slice(1)
    : `xã ${commune}`;

export const sampleOfficeTables = (
  campaign: Campaign,
  schools: readonly School[],
  states: ReadonlyMap<string, SchoolState>,
  tabs: readonly TabModel[],
  now: Date,
): SheetSnapshot => {
  const waiting = [...schools]
    .sort(compareSchools)
    .filter((s) => states.get(s.code)?.assessedStatus === "cho-kiem-tra");
  // Three in five, spread over the levels (the list is sorted by level).
  const planned = waiting.filter((_, i) => i % 5 < 3);
  const inspected = planned.slice(0, Math.max(0, planned.length - 2));
  const rejected = inspected[1];
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const dayOf = new Map(
    planned.map((s, i) => [s.code, i < inspected.length ? day(-(inspected.length - i)) : day(3 + i)]),
  );
  const snapshot: SheetSnapshot = { tabs: new Map() };
  const fill = (key: TabKey, row: (values: Record<string, Cell>) => Record<string, Cell> | undefined) => {
    const tab = tabs.find((t) => t.key === key);
    if (!tab) return;
    const [header = [], ...rows] = gridOf(tab);
    const fields = tab.columns.map((c) => c.field);
    const values = rows.map((r) => {
      const byField = Object.fromEntries(fields.map((f, i) => [f, r[i] ?? null]));
      const typed = row(byField);
      return typed ? fields.map((f, i) => (f in typed ? (typed[f] ?? null) : (r[i] ?? null))) : r;
    });
    snapshot.tabs.set(tab.title, {
      rowCount: values.length + 1,
      columnCount: header.length,
      values: [header, ...values],
    });
  };
  const leader = `Nguyễn Thị Thanh Hương (${issuerName(campaign.office)})`;
  fill("schedule", (row) => {
    const school = planned.find((s) => s.code === row.code);
    const date = school && dayOf.get(school.code);
    if (!school || !date) return undefined;
    const team = `${leader}; Lê Văn Minh (Công an ${localName(school.commune)}); Phạm Quốc Bảo (Đoàn Thanh niên ${localName(school.commune)})`;
    return {
      teamName: `Đoàn số ${1 + (planned.indexOf(school) % 2)}`,
      team,
      date: date.split("-").reverse().join("/"),
      time: planned.indexOf(school) % 2 === 0 ? "08:00" : "14:00",
      place: school.name,
      commend: school === inspected[0] ? "Có" : null,
    };
  });
  // The team does not confirm one claim of one school: its plan of the year (1.2 in the shipped
  // criteria; any mandatory indicator with evidence otherwise).
  const rows = tabs.find((t) => t.key === "inspection")?.rows ?? [];
  const columns = tabs.find((t) => t.key === "inspection")?.columns ?? [];
  const at = (field: string) => columns.findIndex((c) => c.field === field);
  const candidates = rows.filter(
    (r) => r[at("code")] === rejected?.code && r[at("mandatory")] === "Bắt buộc" && r[at("evidence")],
  );
  const target = candidates.find((r) => r[at("indicator")] === "1.2") ?? candidates[0];
  const reason =
    target?.[at("indicator")] === "1.2"
      ? "Minh chứng là kế hoạch của năm học trước, chưa được thủ trưởng ký ban hành cho năm học này"
      : "Minh chứng không đúng nội dung chỉ tiêu yêu cầu";
  fill("inspection", (row) => {
    const school = inspected.find((s) => s.code === row.code);
    if (!school) return undefined;
    if (school === rejected && row.indicator === target?.[at("indicator")])
      return { finding: FINDING_LABELS["khong-xac-nhan"], reason };
    return { finding: FINDING_LABELS["xac-nhan"], reason: null };
  });
  // The clerk has looked at the results and approved all but the three latest (Phòng duyệt gửi);
  // the văn thư has numbered the first ten signed (Số văn bản), the rest still print BẢN CHỜ KÝ.
  const told = [...schools].sort(compareSchools).filter((s) => {
    const state = states.get(s.code);
    return state && hasOutcomeToTell(state) && !pendingQuarantine(state);
  });
  const approved = told.slice(0, Math.max(0, told.length - 3));
  fill("tracking", (row) => {
    const i = approved.findIndex((s) => s.code === row.code);
    if (i < 0) return undefined;
    return { approve: APPROVE, number: i < 10 ? 21 + i : null };
  });
  extendOne(snapshot, campaign, schools, states, tabs);
  return snapshot;
};

/**
 * The office grants one school that registered but sent no dossier ten more days (Gia hạn), with
 * its reason: the sample shows an extension, and the reminder that follows it.
 */
const extendOne = (
  snapshot: SheetSnapshot,
  campaign: Campaign,
  schools: readonly School[],
  states: ReadonlyMap<string, SchoolState>,
  tabs: readonly TabModel[],
) => {
  const tab = tabs.find((t) => t.key === "extensions");
  const school = [...schools].sort(compareSchools).find((s) => states.get(s.code)?.status === "da-dang-ky");
  if (!tab || !school) return;
  const [header = []] = gridOf(tab);
  const typed: Record<string, Cell> = {
    code: school.code,
    deadline: DEADLINE_LABELS.dossier,
    until: formatDateVi(addDays(calendarOf(campaign).dossier.to, 10)),
    reason: "Trường đang sửa chữa phòng học sau mưa bão, xin nộp hồ sơ chậm",
  };
  snapshot.tabs.set(tab.title, {
    rowCount: 2,
    columnCount: header.length,
    values: [header, tab.columns.map((c) => typed[c.field] ?? null)],
  });
};
