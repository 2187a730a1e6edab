import { describe, expect, it } from "vitest";
import { passionScore, type PassionInputs } from "./passion.ts";

const DAY = 24 * 60 * 60 * 1000;
const quiet: PassionInputs = { votes: 0, replies: 0, reactions: 0, length: 0, authorLeads: false, authorEvangelist: false, ageMs: 0 };
const points = (input: Partial<PassionInputs>) => Object.fromEntries(passionScore({ ...quiet, ...input }).parts.map((p) => [p.key, p.points]));

describe("passion score", () => {
  it("adds its parts, each shown with its points", () => {
    const { score, parts } = passionScore({ votes: 4, replies: 3, reactions: 2, length: 400, authorLeads: true, authorEvangelist: true, ageMs: 0 });
    expect(parts.map((p) => [p.key, p.points])).toEqual([
      ["votes", 12],
      ["replies", 6],
      ["reactions", 2],
      ["length", 5],
      ["leads", 10],
      ["evangelist", 5],
      ["recency", 20],
    ]);
    expect(score).toBe(60);
    expect(parts[0]!.label).toBe("4 votes");
  });

  it("caps every part so no single signal drowns the others", () => {
    expect(points({ votes: 1000, replies: 500, reactions: 99, length: 100_000 })).toMatchObject({ votes: 30, replies: 20, reactions: 10, length: 15 });
  });

  it("halves recency every three days, and never rewards a future date", () => {
    expect(points({ ageMs: 3 * DAY }).recency).toBe(10);
    expect(points({ ageMs: 6 * DAY }).recency).toBe(5);
    expect(points({ ageMs: -DAY }).recency).toBe(20);
  });

  it("orders a fresh, voted idea by an evangelist above an old one-liner", () => {
    const fresh = passionScore({ ...quiet, votes: 5, length: 300, authorEvangelist: true, ageMs: DAY }).score;
    const stale = passionScore({ ...quiet, length: 40, ageMs: 20 * DAY }).score;
    expect(fresh).toBeGreaterThan(stale);
    expect(stale).toBe(0.2);
  });
});
