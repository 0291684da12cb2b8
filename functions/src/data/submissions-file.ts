import { z } from "zod";
import { type Submission, submissionSchema } from "../domain/answers.js";
import { parseYamlData, readDataFile } from "./yaml-file.js";

const WHAT = "Tệp bài nộp";

/** A submissions file: `{ "submissions": [...] }`, or just the array. */
const submissionsFileSchema = z.preprocess(
  (file) => (Array.isArray(file) ? { submissions: file } : file),
  z.strictObject({ submissions: z.array(submissionSchema) }).transform((f) => f.submissions),
);

export const parseSubmissions = (text: string, file: string): Submission[] =>
  parseYamlData(text, file, WHAT, submissionsFileSchema);

export const loadSubmissions = async (file: string): Promise<Submission[]> =>
  parseSubmissions(await readDataFile(file, WHAT), file);
