import { z } from "zod";

/**
 * The office's controls over its campaign, in the sheet's Điều khiển tab (issue 16): a pause switch
 * that stops all mail to schools, and requests for the office's own documents, which the next
 * delivery makes and links back beside the request. No terminal is needed for either.
 */
export const CONTROL_DOCUMENTS = ["ke-hoach", "bao-cao", "to-trinh", "quyet-dinh"] as const;
export type ControlDocument = (typeof CONTROL_DOCUMENTS)[number];

/** The rows of the Điều khiển tab, as the clerk reads them. */
export const CONTROL_TITLES = {
  paused: "Tạm dừng gửi thư cho các trường",
  "ke-hoach": "Lập Kế hoạch triển khai",
  "bao-cao": "Lập Báo cáo gửi Sở",
  "to-trinh": "Lập Tờ trình đề nghị công nhận",
  "quyet-dinh": "Lập dự thảo Quyết định công nhận",
} as const;
export type ControlRow = keyof typeof CONTROL_TITLES;
export const CONTROL_ROWS = Object.keys(CONTROL_TITLES) as ControlRow[];

/** The values the "Yêu cầu" cell takes. */
export const PAUSE_CHOICES = { yes: "Có", no: "Không" } as const;
export const MAKE = "Lập";

export const madeDocumentSchema = z.object({
  url: z.string(),
  docxUrl: z.string().optional(),
  /** When it was made (RFC 3339). */
  at: z.string(),
});
export type MadeDocument = z.output<typeof madeDocumentSchema>;

export const controlSchema = z.object({
  paused: z.boolean().default(false),
  /** Documents the clerk asked for and the next delivery has not made yet. */
  requested: z.array(z.enum(CONTROL_DOCUMENTS)).default([]),
  /** The latest of each document made on request, where it is. */
  made: z.partialRecord(z.enum(CONTROL_DOCUMENTS), madeDocumentSchema).default({}),
  /** Why a request could not be met (e.g. no school to propose yet), shown beside it. */
  refused: z.partialRecord(z.enum(CONTROL_DOCUMENTS), z.string()).default({}),
});
export type Control = z.output<typeof controlSchema>;

export const NO_CONTROL: Control = { paused: false, requested: [], made: {}, refused: {} };
