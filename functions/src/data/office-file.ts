import { fileURLToPath } from "node:url";
import { type OfficeProfile, officeProfileSchema } from "../domain/office.js";
import { DataFileError } from "./errors.js";
import { parseYamlData, readDataFile } from "./yaml-file.js";

/** The sample office: the seed's Phòng Giáo dục và Đào tạo huyện Nhà Bè (marked as sample data). */
export const SAMPLE_OFFICE_FILE = fileURLToPath(new URL("../../data/office/nha-be.yaml", import.meta.url));

const WHAT = "Tệp thông tin cơ quan";

/** A starter profile (`dienhinh init`) marks what the office must fill in with «…». */
const PLACEHOLDER = /«[^»]*»/u;

export const parseOfficeProfile = (text: string, file: string): OfficeProfile => {
  const unfilled = text.split("\n").flatMap((line, i) =>
    PLACEHOLDER.test(line) && !line.trimStart().startsWith("#")
      ? [
          {
            path: line.split(":")[0]?.trim() ?? "",
            line: i + 1,
            message: `chưa điền: thay ${PLACEHOLDER.exec(line)?.[0]} bằng thông tin của phòng`,
          },
        ]
      : [],
  );
  if (unfilled.length > 0) throw new DataFileError(file, WHAT, unfilled);
  return parseYamlData(text, file, WHAT, officeProfileSchema);
};

export const loadOfficeProfile = async (file: string = SAMPLE_OFFICE_FILE): Promise<OfficeProfile> =>
  parseOfficeProfile(await readDataFile(file, WHAT), file);
