import { loadCriteriaSet } from "../../data/criteria-file.js";
import { loadOfficeProfile } from "../../data/office-file.js";
import { loadRegistry } from "../../data/registry-csv.js";
import type { Stage } from "../../domain/criteria.js";
import { buildFormSpec } from "../../domain/form-spec.js";
import { campaignYear } from "../context.js";
import type { CliIo } from "../io.js";

export interface FormOptions {
  stage: Stage;
  registry?: string;
  criteria?: string;
  office?: string;
  schoolYear?: string;
  json?: boolean;
}

/** `dienhinh form`: the Google Form dienhinh would create for a stage (a Forms API `Form`). */
export const formCommand = async (options: FormOptions, io: CliIo): Promise<void> => {
  const [schools, set, office] = await Promise.all([
    loadRegistry(options.registry),
    loadCriteriaSet(options.criteria),
    loadOfficeProfile(options.office),
  ]);
  const schoolYear = campaignYear(options.schoolYear, options.registry);
  const spec = buildFormSpec({ set, schools, stage: options.stage, schoolYear, office });
  if (options.json) {
    io.out(JSON.stringify(spec, null, 2));
    return;
  }
  io.out(spec.info.title);
  for (const item of spec.items) {
    if (item.pageBreakItem) io.out(`\n== ${item.title}`);
    else {
      const q = item.questionItem?.question;
      const kind = q?.choiceQuestion
        ? `${q.choiceQuestion.type === "DROP_DOWN" ? "danh sách" : "chọn một"}: ${q.choiceQuestion.options.length} lựa chọn`
        : q?.textQuestion?.paragraph
          ? "đoạn văn"
          : "trả lời ngắn";
      io.out(`  - ${item.title} [${kind}${q?.required ? ", bắt buộc" : ""}]`);
    }
  }
};
