import { describe, expect, it } from "vitest";
import { DisplayNameSchema } from "#app/features/auth/schemas.ts";
import { ERASED_NAME } from "#app/features/privacy/erased.ts";
import { displayNameProblem, nameSkeleton, tidyName } from "./names.ts";

describe("display names", () => {
  it("are tidied: trimmed, with runs of any space made one", () => {
    expect(tidyName("  Lena \t  Fischer\u00a0 ")).toBe("Lena Fischer");
    expect(DisplayNameSchema.parse("  Lena   Fischer ")).toBe("Lena Fischer");
  });

  it("accept ordinary names in any script, with accents and punctuation", () => {
    for (const name of ["Lena Fischer", "Zoë O'Brien-Smith", "李雷", "Ana María", "Jo", "Dr. Ngozi Okafor (Berlin)", "Ali", "Sam 2"]) {
      expect(displayNameProblem(name), name).toBeNull();
    }
  });

  it("are 2 to 60 characters, counted as a person counts them", () => {
    expect(displayNameProblem("J")).toMatch(/at least 2/);
    expect(displayNameProblem("   ")).toMatch(/Enter/);
    expect(displayNameProblem("a".repeat(60))).toBeNull();
    expect(displayNameProblem("a".repeat(61))).toMatch(/at most 60/);
    // Sixty characters outside the basic plane are still sixty.
    expect(displayNameProblem("😀".repeat(30) + "ab")).toBeNull();
    expect(displayNameProblem("---")).toMatch(/letter or digit/);
  });

  it("refuse control and invisible characters, which could hide or reorder text", () => {
    expect(displayNameProblem("Lena\u0000")).toMatch(/letters, digits/);
    expect(displayNameProblem("Le\u200bna")).toMatch(/letters, digits/);
    expect(displayNameProblem("\u202eanel")).toMatch(/letters, digits/);
    expect(displayNameProblem("Lena\u0007Fischer")).toMatch(/letters, digits/);
  });

  it("refuse the erasure placeholder and staff labels however they are dressed up", () => {
    const attempts = [
      ERASED_NAME,
      "former member",
      "  FORMER   MEMBER ",
      "Former-Member",
      "Fοrmer member", // Greek omicron
      "Moderator",
      "moderator",
      "M0DERATOR",
      "Mоderator", // Cyrillic o
      "ｍｏｄｅｒａｔｏｒ", // full-width
      "M o d e r a t o r",
      "Mod\u0301erator", // a combining accent
      "Admin",
      "Adm1n",
      "ADMIN.",
      "Cohort",
      "cohort team",
      "Product Team",
      "product_team",
      "Staff",
      "𝐒𝐭𝐚𝐟𝐟", // mathematical bold
    ];
    for (const name of attempts) expect(displayNameProblem(name), name).toMatch(/reserved/);
    expect(DisplayNameSchema.safeParse("Mоderator").success).toBe(false);
  });

  it("allow names that only contain a reserved word", () => {
    expect(displayNameProblem("Maya the moderator")).toBeNull();
    expect(displayNameProblem("Ada Admin")).toBeNull();
    expect(nameSkeleton("Maya the moderator")).not.toBe(nameSkeleton("Moderator"));
  });
});
