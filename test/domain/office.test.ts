import { describe, expect, it } from "vitest";
import { officeFullName, sameOffice } from "../../functions/src/domain/office.js";

const office = {
  email: "vhxh@tanthuan.example",
  issuingBodyName: "Phòng Văn hóa - Xã hội",
  parentBodyName: "Ủy ban nhân dân phường Tân Thuận",
};

describe("sameOffice: whose campaign a campaign id is (dienhinh onboard)", () => {
  it("is the same office with the same email, whatever its case, even renamed", () => {
    expect(
      sameOffice(office, {
        ...office,
        email: "VHXH@TanThuan.example",
        parentBodyName: "Ủy ban nhân dân phường Tân Thuận mới",
      }),
    ).toBe(true);
  });

  it("is the same office with the same full name, typed with other spaces or decomposed diacritics, even with a new mailbox", () => {
    expect(
      sameOffice(office, {
        email: "moi@tanthuan.example",
        issuingBodyName: "Phòng  Văn hóa - Xã hội".normalize("NFD"),
        parentBodyName: "ủy ban nhân dân phường tân thuận",
      }),
    ).toBe(true);
  });

  it("is another office when neither the email nor the full name match: the same issuing body under another parent is not the same", () => {
    expect(
      sameOffice(office, {
        email: "vhxh@phumy.example",
        issuingBodyName: "Phòng Văn hóa - Xã hội",
        parentBodyName: "Ủy ban nhân dân phường Phú Mỹ",
      }),
    ).toBe(false);
  });

  it("names the office in full, as the refusal prints it", () => {
    expect(officeFullName(office)).toBe("Phòng Văn hóa - Xã hội (Ủy ban nhân dân phường Tân Thuận)");
  });
});
