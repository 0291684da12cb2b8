import { fileURLToPath } from "node:url";
import { type OfficeProfile, officeProfileSchema } from "../domain/office.js";
import { parseYamlData, readDataFile } from "./yaml-file.js";

/** The sample office: the seed's Phòng Giáo dục và Đào tạo huyện Nhà Bè (marked as sample data). */
export const SAMPLE_OFFICE_FILE = fileURLToPath(new URL("../../data/office/nha-be.yaml", import.meta.url));

const WHAT = "Tệp thông tin cơ quan";

export const parseOfficeProfile = (text: string, file: string): OfficeProfile =>
  parseYamlData(text, file, WHAT, officeProfileSchema);

export const loadOfficeProfile = async (file: string = SAMPLE_OFFICE_FILE): Promise<OfficeProfile> =>
  parseOfficeProfile(await readDataFile(file, WHAT), file);
