/**
 * The kinds of administrative document (văn bản hành chính) and their abbreviations, as Decree
 * 30/2020/NĐ-CP lists them (Art. 7, Phụ lục III). A document's printed kind ("THÔNG BÁO") and the
 * abbreviation in its number ("Số: 12/TB-GDĐT") both come from here, so the văn thư can register
 * every one. A công văn has no kind abbreviation: its number carries the issuer's and the drafting
 * unit's ("Số: 15/GDĐT-VP").
 */
export const ADMINISTRATIVE_KINDS = {
  "nghi-quyet": { name: "Nghị quyết", code: "NQ" },
  "quyet-dinh": { name: "Quyết định", code: "QĐ" },
  "chi-thi": { name: "Chỉ thị", code: "CT" },
  "quy-che": { name: "Quy chế", code: "QC" },
  "quy-dinh": { name: "Quy định", code: "QyĐ" },
  "thong-cao": { name: "Thông cáo", code: "TC" },
  "thong-bao": { name: "Thông báo", code: "TB" },
  "huong-dan": { name: "Hướng dẫn", code: "HD" },
  "chuong-trinh": { name: "Chương trình", code: "CTr" },
  "ke-hoach": { name: "Kế hoạch", code: "KH" },
  "phuong-an": { name: "Phương án", code: "PA" },
  "de-an": { name: "Đề án", code: "ĐA" },
  "du-an": { name: "Dự án", code: "DA" },
  "bao-cao": { name: "Báo cáo", code: "BC" },
  "bien-ban": { name: "Biên bản", code: "BB" },
  "to-trinh": { name: "Tờ trình", code: "TTr" },
  "hop-dong": { name: "Hợp đồng", code: "HĐ" },
  "cong-dien": { name: "Công điện", code: "CĐ" },
  "ban-ghi-nho": { name: "Bản ghi nhớ", code: "GN" },
  "ban-thoa-thuan": { name: "Bản thỏa thuận", code: "TTh" },
  "giay-uy-quyen": { name: "Giấy ủy quyền", code: "GUQ" },
  "giay-moi": { name: "Giấy mời", code: "GM" },
  "giay-gioi-thieu": { name: "Giấy giới thiệu", code: "GGT" },
  "giay-nghi-phep": { name: "Giấy nghỉ phép", code: "NP" },
  "phieu-gui": { name: "Phiếu gửi", code: "PG" },
  "phieu-chuyen": { name: "Phiếu chuyển", code: "PC" },
  "phieu-bao": { name: "Phiếu báo", code: "PB" },
} as const;
export type AdministrativeKind = keyof typeof ADMINISTRATIVE_KINDS;

/**
 * The documents dienhinh writes, each issued as one administrative kind: a school's result is a
 * Thông báo (there is no kind "Kết quả"), like the notice of what to fix.
 */
export const DOCUMENT_KINDS = [
  "ket-qua",
  "thong-bao",
  "bao-cao",
  "quyet-dinh",
  "bien-ban",
  "to-trinh",
  "cong-van",
  "ke-hoach",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A công văn: a letter with no kind printed and no kind abbreviation in its number. */
export type LetterKind = "cong-van";

export const ISSUED_AS: Record<Exclude<DocumentKind, LetterKind>, AdministrativeKind> = {
  "ket-qua": "thong-bao",
  "thong-bao": "thong-bao",
  "bao-cao": "bao-cao",
  "quyet-dinh": "quyet-dinh",
  "bien-ban": "bien-ban",
  "to-trinh": "to-trinh",
  "ke-hoach": "ke-hoach",
};

/** "TB", "QĐ": the abbreviation in the document's number; none for a công văn. */
export const numberCode = (kind: DocumentKind): string | undefined =>
  kind === "cong-van" ? undefined : ADMINISTRATIVE_KINDS[ISSUED_AS[kind]].code;

/**
 * "THÔNG BÁO", "TỜ TRÌNH": the kind as printed at the head of the document. A công văn prints none:
 * its subject ("V/v …") stands under its number.
 */
export const printedKind = (kind: DocumentKind): string =>
  kind === "cong-van" ? "" : ADMINISTRATIVE_KINDS[ISSUED_AS[kind]].name.toLocaleUpperCase("vi");
