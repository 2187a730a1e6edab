import { describe, expect, it } from "vitest";
import { can, isStaff, type Actor } from "./policy.ts";

const actor = (role: Actor["role"], id: string = role): Actor => ({ id, role });

describe("access policy", () => {
  it("refuses anonymous visitors everything that needs a rule", () => {
    expect(can(null, "account.manage")).toBe(false);
    expect(can(null, "staff.view")).toBe(false);
    expect(can(null, "admin.manage")).toBe(false);
    expect(can(null, "user.change-role", { targetUserId: "x" })).toBe(false);
  });

  it("denies an action it has no rule for", () => {
    // Simulates a route asking about an action nobody wrote a rule for.
    expect(can(actor("admin"), "no.such.action" as never)).toBe(false);
  });

  it("lets every signed-in user manage their own account", () => {
    for (const role of ["member", "moderator", "product", "admin"] as const) {
      expect(can(actor(role), "account.manage")).toBe(true);
    }
  });

  it("opens staff pages to moderators, product reviewers and admins only", () => {
    expect(can(actor("member"), "staff.view")).toBe(false);
    expect(can(actor("moderator"), "staff.view")).toBe(true);
    expect(can(actor("product"), "staff.view")).toBe(true);
    expect(can(actor("admin"), "staff.view")).toBe(true);
    expect(isStaff(actor("member"))).toBe(false);
    expect(isStaff(null)).toBe(false);
  });

  it("keeps administration to admins", () => {
    expect(can(actor("moderator"), "admin.manage")).toBe(false);
    expect(can(actor("product"), "admin.manage")).toBe(false);
    expect(can(actor("admin"), "admin.manage")).toBe(true);
  });

  it("lets admins change other people's roles but not their own", () => {
    expect(can(actor("admin", "a1"), "user.change-role", { targetUserId: "u2" })).toBe(true);
    expect(can(actor("admin", "a1"), "user.change-role", { targetUserId: "a1" })).toBe(false);
    expect(can(actor("moderator", "m1"), "user.change-role", { targetUserId: "u2" })).toBe(false);
  });
});
