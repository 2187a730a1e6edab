import { describe, expect, it } from "vitest";
import { phaseOf } from "./phase.ts";

const starts = Date.UTC(2026, 2, 3, 8);
const ends = Date.UTC(2026, 2, 17, 18);
const published = { published_at: starts - 86_400_000, archived_at: null, starts_at: starts, ends_at: ends };

describe("phaseOf", () => {
  it("is upcoming until the very start, active from it", () => {
    expect(phaseOf(published, starts - 1000)).toBe("upcoming");
    expect(phaseOf(published, starts)).toBe("active");
  });

  it("is active until the very end, closed from it", () => {
    expect(phaseOf(published, ends - 1000)).toBe("active");
    expect(phaseOf(published, ends)).toBe("closed");
  });

  it("is a draft until published, whatever the dates say", () => {
    expect(phaseOf({ ...published, published_at: null }, starts + 1000)).toBe("draft");
  });

  it("is archived once archived, whatever else holds", () => {
    expect(phaseOf({ ...published, archived_at: ends + 1 }, starts + 1000)).toBe("archived");
    expect(phaseOf({ ...published, published_at: null, archived_at: 1 }, 0)).toBe("archived");
  });
});
