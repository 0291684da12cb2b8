import { type CriteriaSet, criteriaSetSchema } from "../../functions/src/domain/criteria.js";
import { defaultSet } from "./fixtures.js";

/**
 * The default criteria set as an office might revise it mid-year: 2.3 becomes a yes/no with
 * evidence (its kind changes), 5.2 offers one more rating (its options change), 1.5's help is
 * reworded (its description only), 2.4 is new, 6.2 is gone. Registration questions are untouched.
 */
export const revisedSet = (): CriteriaSet => {
  const set = structuredClone(defaultSet());
  const criterion = (id: string) => set.criteria.find((c) => c.id === id) as CriteriaSet["criteria"][number];
  const two = criterion("2");
  const old23 = two.indicators.find((i) => i.id === "2.3");
  if (!old23) throw new Error("2.3 missing");
  const { id, text, subject, stage, mandatory, weight } = old23;
  two.indicators = [
    ...two.indicators.filter((i) => i.id !== "2.3"),
    { id, text, subject, stage, mandatory, weight, kind: "evidence", help: "Tải lên kế hoạch tuyên truyền." },
    {
      id: "2.4",
      kind: "zero",
      text: "Số vụ tai nạn giao thông nghiêm trọng liên quan đến học sinh của đơn vị",
      subject: "vụ tai nạn giao thông nghiêm trọng liên quan đến học sinh",
      stage: "dossier",
      mandatory: true,
      weight: 1,
      evidence: false,
    },
  ];
  for (const indicator of criterion("5").indicators)
    if (indicator.kind === "choice") indicator.options = [...indicator.options, "Chưa được đánh giá"];
  for (const indicator of criterion("1").indicators)
    if (indicator.id === "1.5")
      indicator.help = "Tính trên tổng số cán bộ, giáo viên, nhân viên và học sinh.";
  const six = criterion("6");
  six.indicators = six.indicators.filter((i) => i.id !== "6.2");
  return criteriaSetSchema.parse({ ...set, version: `${set.version}-sua` });
};
