import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { DataFileError } from "../data/errors.js";
import { parseResponsesCsv, parseResponsesJson } from "../data/forms-export.js";
import { type Campaign, stageOfForm } from "../domain/campaign.js";
import { STAGES, type Stage } from "../domain/criteria.js";
import { submittedBy } from "../domain/intake.js";
import type { AppDeps } from "./deps.js";
import { type IngestSummary, ingestResponses } from "./intake.js";

/**
 * Backfill: responses saved from Google Forms (a `responses.list` reply as JSON, or the CSV export)
 * go through exactly the path live responses take. Importing the same file again changes nothing.
 */
export const importResponsesFile = async (
  deps: Pick<AppDeps, "store" | "clock" | "schools">,
  campaign: Campaign,
  file: string,
  /** `asOf`: take only what was submitted by then (a run played as of an earlier day). */
  options: { stage?: Stage; asOf?: Date } = {},
): Promise<IngestSummary & { stage: Stage }> => {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataFileError(file, "Tệp câu trả lời", [
      {
        path: "",
        message: code === "ENOENT" ? "không tìm thấy tệp" : `không đọc được tệp (${code ?? "lỗi không rõ"})`,
      },
    ]);
  }
  const isCsv = extname(file).toLowerCase() === ".csv" || !/^\s*[[{]/u.test(text);
  const all = isCsv ? parseResponsesCsv(text, file) : parseResponsesJson(text, file);
  const stage = options.stage ?? guessStage(campaign, all, file);
  const { due, notYet } = options.asOf ? submittedBy(all, options.asOf) : { due: all, notYet: 0 };
  return { ...(await ingestResponses(deps, campaign, stage, due)), stage, ...(notYet ? { notYet } : {}) };
};

/** The stage of the form the responses came from, or the dossier when they do not say. */
const guessStage = (campaign: Campaign, payloads: readonly unknown[], file: string): Stage => {
  const formIds = new Set(
    payloads
      .map((p) =>
        typeof p === "object" && p && "formId" in p ? String((p as { formId: unknown }).formId) : "",
      )
      .filter(Boolean),
  );
  const stages = new Set(
    [...formIds].map((id) => stageOfForm(campaign, id)).filter((s): s is Stage => s !== undefined),
  );
  if ([...formIds].some((id) => campaign.forms.incident?.formId === id)) {
    throw new DataFileError(file, "Tệp câu trả lời", [
      {
        path: "",
        message:
          "đây là câu trả lời của biểu mẫu Báo cáo vụ việc, không nhập bằng lệnh này: các báo cáo được lấy " +
          "tự động từ biểu mẫu (hoặc chạy dienhinh sync)",
      },
    ]);
  }
  if (stages.size > 1) {
    throw new DataFileError(file, "Tệp câu trả lời", [
      {
        path: "",
        message: `tệp có câu trả lời của nhiều biểu mẫu (${[...stages].join(", ")}); tách riêng từng biểu mẫu hoặc dùng --stage`,
      },
    ]);
  }
  if (formIds.size > 0 && stages.size === 0) {
    throw new DataFileError(file, "Tệp câu trả lời", [
      {
        path: "",
        message: `câu trả lời của biểu mẫu ${[...formIds].join(", ")}, không thuộc đợt đánh giá ${campaign.id}; dùng --stage nếu đúng là biểu mẫu này`,
      },
    ]);
  }
  return [...stages][0] ?? STAGES[1];
};
