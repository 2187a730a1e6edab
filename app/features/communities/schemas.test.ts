import { describe, expect, it } from "vitest";
import { CommunityFormSchema } from "./schemas.ts";

const valid = {
  name: "A study",
  purpose: "What we want to learn, at some length.",
  timeZone: "Europe/Berlin",
  startsAt: "2026-03-03T08:00",
  endsAt: "2026-03-17T08:00",
};

describe("the community form's dates", () => {
  it("takes a real window", () => {
    expect(CommunityFormSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ["startsAt", "2026-02-30T25:61"],
    ["startsAt", "0000-01-01T08:00"],
    ["endsAt", "2026-04-31T08:00"],
    ["endsAt", "2026-03-17T24:00"],
  ])("refuses an impossible %s (%s) with an error on that field", (field, value) => {
    const result = CommunityFormSchema.safeParse({ ...valid, [field]: value });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path[0] === field);
    expect(issue?.message).toMatch(/real date and time/);
  });
});
