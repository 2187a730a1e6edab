import { describe, expect, it } from "vitest";
import { feelingOf, needsOf, detailsOf, passionScore, type PassionInputs } from "./passion.ts";
import { findRepeats } from "#app/features/ideas/similar.ts";

const DAY = 24 * 60 * 60 * 1000;
const quiet: Omit<PassionInputs, "text"> = { votes: 0, repliesByOthers: 0, quotes: 0, agreeing: 0, authorLeads: false, authorEvangelist: false, ageMs: DAY, repeats: null };

type Kind = "plain" | "intense" | "specific" | "intense-specific" | "duplicate" | "short" | "long" | "shouting" | "negated";

/** Posts written for this test, in the order they were posted. A duplicate follows its original. */
const FIXTURE: { id: string; kind: Kind; title: string; text: string }[] = [
  // Plain: polite, vague, nothing concrete.
  { id: "p1", kind: "plain", title: "Some thoughts on the app", text: "The app is fine overall. Maybe the menus could be a bit different." },
  { id: "p2", kind: "plain", title: "Idea about reports", text: "Reports could perhaps show more things. Just a thought." },
  { id: "p3", kind: "plain", title: "Colours", text: "It might be nice to have other colours in the sidebar." },
  { id: "p4", kind: "plain", title: "General feedback", text: "Overall the product works. Nothing much to add here." },
  { id: "p5", kind: "plain", title: "Search", text: "Search is okay I suppose. It could be a little smarter." },
  { id: "p6", kind: "plain", title: "Settings page", text: "The settings page is long. Maybe group the options somehow." },
  { id: "p7", kind: "plain", title: "Notifications", text: "Notifications arrive. Perhaps there could be a digest option." },
  { id: "p8", kind: "plain", title: "The dashboard", text: "The dashboard shows data. It is what it is." },
  // Intense: strong feeling, little detail.
  { id: "i1", kind: "intense", title: "Exports are awful", text: "This is awful and frustrating. I hate losing my work every time." },
  { id: "i2", kind: "intense", title: "I love the new editor", text: "I absolutely love the new editor, it is brilliant and a joy to use." },
  { id: "i3", kind: "intense", title: "Terrible support experience", text: "Support was terrible. I feel ignored and angry." },
  { id: "i4", kind: "intense", title: "Sync is broken", text: "Sync is broken again and it is a disaster. So annoying." },
  // Specific: concrete detail, calm.
  { id: "s1", kind: "specific", title: "CSV export drops column 12", text: "When I export 3,400 rows from Reports to CSV, column 12 (Region) is empty. First I filter by Q3, then I click Export." },
  { id: "s2", kind: "specific", title: "Import from Salesforce", text: "We import about 200 contacts a week from Salesforce. Each import takes 45 minutes because fields map one at a time." },
  { id: "s3", kind: "specific", title: "Timezone in the calendar", text: "Meetings created in Outlook at 09:00 CET show at 08:00 in the Calendar view since version 4.2." },
  { id: "s4", kind: "specific", title: "API rate limit", text: "The API returns 429 after 60 requests per minute; our Zapier flow sends 150 when a batch lands." },
  // Intense and specific: the complaints that matter most.
  { id: "x1", kind: "intense-specific", title: "Renewal price higher than the quote", text: "I am furious. The renewal invoice said $4,800, the quote said $3,200. We have to explain a 50% jump to finance and nobody at Acme answered my 3 emails." },
  { id: "x2", kind: "intense-specific", title: "Excel export corrupts dates", text: "This is a disaster for us. I can't send the monthly report: every date after the 12th turns into text in Excel 2019. First I export, then I open it and 400 rows are wrong." },
  { id: "x3", kind: "intense-specific", title: "Mobile app crashes on upload", text: "So frustrating! The iOS app crashes every time I upload a photo over 5 MB on iPhone 13. I lost 2 hours of site notes yesterday and we have to redo the inspection." },
  { id: "x4", kind: "intense-specific", title: "Losing invoices in Xero sync", text: "Terrible week. I need the Xero sync to stop skipping invoices: 17 of 120 went missing on Tuesday, and I had to re-enter each one by hand." },
  { id: "x5", kind: "intense-specific", title: "Login loop on Chrome 120", text: "Awful. Since the 2.8 update I cannot log in on Chrome 120: the page reloads 5 times and signs me out. Our team of 12 is blocked every morning." },
  { id: "x6", kind: "intense-specific", title: "Search misses half the tickets", text: "I am really upset. Searching for order 88231 in Helpdesk finds nothing, though it is there. We can't close 30% of tickets without it." },
  // Near-duplicates of earlier posts: the same idea again.
  { id: "d1", kind: "duplicate", title: "Renewal price higher than quote", text: "I am furious. The renewal invoice was $4,800 while the quote said $3,200. We have to explain the 50% jump to finance and nobody at Acme answered." },
  { id: "d2", kind: "duplicate", title: "Excel export corrupts dates", text: "Disaster: I can't send the monthly report, every date after the 12th turns into text in Excel 2019 when I export." },
  { id: "d3", kind: "duplicate", title: "CSV export drops column 12", text: "When exporting 3,400 rows from Reports to CSV, column 12 (Region) is empty after filtering by Q3." },
  { id: "d4", kind: "duplicate", title: "iOS app crashes on photo upload", text: "The iOS app crashes every time I upload a photo over 5 MB on iPhone 13. I lost 2 hours of site notes, so frustrating!" },
  { id: "d5", kind: "duplicate", title: "Sync is broken", text: "Sync is broken again, a disaster and so annoying." },
  // Short.
  { id: "h1", kind: "short", title: "Dark mode", text: "Dark mode please." },
  { id: "h2", kind: "short", title: "Faster", text: "Make it faster." },
  { id: "h3", kind: "short", title: "+1", text: "Agree." },
  { id: "h4", kind: "short", title: "Icons", text: "Nicer icons?" },
  // Long, but bland: length alone earns little.
  {
    id: "l1",
    kind: "long",
    title: "A long note about the interface",
    text: "I have been thinking about the interface for a while and wanted to share some general impressions. ".repeat(6) + "In general it is fine and I suppose most people get used to it eventually.",
  },
  {
    id: "l2",
    kind: "long",
    title: "Reflections on the product",
    text: "There are many parts of the product and each of them has its own way of doing things. ".repeat(8) + "Perhaps at some point it could be more consistent.",
  },
  {
    id: "l3",
    kind: "long",
    title: "Detailed walk-through of a slow report",
    text: "First I open Reports, then I choose the Sales template and select 2024. The report takes 94 seconds to load for 18,000 rows. Then I click Export to PDF and it takes another 40 seconds. We have to do this 6 times every Monday for the board, and I can't start the meeting on time. This is so frustrating and it wastes an hour of my week.",
  },
  // Shouting.
  { id: "u1", kind: "shouting", title: "FIX THE EXPORT", text: "FIX THE EXPORT!!! IT IS BROKEN AND I HATE IT!!!" },
  { id: "u2", kind: "shouting", title: "WHY IS IT SO SLOW", text: "WHY IS EVERYTHING SO SLOW!!!" },
  { id: "u3", kind: "shouting", title: "PLEASE ADD SSO", text: "PLEASE ADD SSO, WE HAVE TO LOG IN 4 TIMES A DAY WITH OKTA!!" },
  // Negated: feeling words that are turned down.
  { id: "n1", kind: "negated", title: "The editor", text: "The editor is not bad. Not great either." },
  { id: "n2", kind: "negated", title: "Calendar", text: "The calendar is not terrible, I don't hate it." },
  { id: "n3", kind: "negated", title: "Billing", text: "Billing is never a problem for us." },
  { id: "n4", kind: "negated", title: "Onboarding", text: "Onboarding was not awful, no complaints really." },
  { id: "n5", kind: "negated", title: "Uploads", text: "Uploads are not perfect but not a disaster." },
];

function scoreAll() {
  const repeats = findRepeats(FIXTURE);
  return FIXTURE.map((post) => ({
    ...post,
    repeats: repeats.get(post.id)?.id ?? null,
    ...passionScore({ ...quiet, text: `${post.title}\n\n${post.text}`, repeats: repeats.get(post.id)?.title ?? null }),
  }));
}

describe("passion score on written feedback", () => {
  const scored = scoreAll();
  const of = (kind: Kind) => scored.filter((p) => p.kind === kind);
  if (process.env.PASSION_DUMP) console.log([...scored].sort((a, b) => b.score - a.score).map((p) => `${p.score}\t${p.id}\t${p.kind}\t${p.parts.filter((x) => x.points).map((x) => `${x.key}:${x.points}`).join(" ")}`).join("\n"));
  const rank = new Map([...scored].sort((a, b) => b.score - a.score).map((p, i) => [p.id, i]));

  it("is a fixture of at least 40 posts of every kind", () => {
    expect(FIXTURE.length).toBeGreaterThanOrEqual(40);
    expect(new Set(FIXTURE.map((p) => p.kind)).size).toBe(9);
  });

  it("ranks every intense and specific post above every bland one (plain, short, long and vague)", () => {
    const bland = [...of("plain"), ...of("short"), ...scored.filter((p) => p.id === "l1" || p.id === "l2"), ...of("negated")];
    const lowestStrong = Math.min(...of("intense-specific").map((p) => p.score));
    const highestBland = Math.max(...bland.map((p) => p.score));
    expect(lowestStrong).toBeGreaterThan(highestBland);
  });

  it("ranks intense posts and specific posts above plain ones, on average and at worst", () => {
    const mean = (list: { score: number }[]) => list.reduce((s, p) => s + p.score, 0) / list.length;
    expect(mean(of("intense"))).toBeGreaterThan(mean(of("plain")) + 5);
    expect(mean(of("specific"))).toBeGreaterThan(mean(of("plain")) + 5);
    expect(Math.min(...of("intense").map((p) => p.score))).toBeGreaterThan(Math.max(...of("plain").map((p) => p.score)));
    expect(Math.min(...of("specific").map((p) => p.score))).toBeGreaterThan(Math.max(...of("plain").map((p) => p.score)));
  });

  it("finds each near-duplicate and ranks it below its original", () => {
    const expected: Record<string, string> = { d1: "x1", d2: "x2", d3: "s1", d4: "x3", d5: "i4" };
    for (const dup of of("duplicate")) {
      expect(dup.repeats, dup.id).toBe(expected[dup.id]);
      expect(rank.get(dup.id)!, dup.id).toBeGreaterThan(rank.get(dup.repeats!)!);
    }
    // Nothing else is taken for a repeat.
    expect(scored.filter((p) => p.kind !== "duplicate" && p.repeats)).toEqual([]);
  });

  it("rates a long detailed walk-through above long vague notes, so length alone earns nothing", () => {
    const [l1, l2, l3] = of("long");
    expect(l3!.score).toBeGreaterThan(l1!.score + 15);
    expect(l3!.score).toBeGreaterThan(l2!.score + 15);
  });

  it("counts shouting a little, but shouting alone stays below a specific, intense complaint", () => {
    const u2 = scored.find((p) => p.id === "u2")!;
    const calm = passionScore({ ...quiet, text: "Why is it so slow\n\nWhy is everything so slow?" }).score;
    expect(u2.score).toBeGreaterThan(calm);
    expect(u2.score - calm).toBeLessThanOrEqual(8);
    expect(u2.score).toBeLessThan(Math.min(...of("intense-specific").map((p) => p.score)));
  });

  it("handles negation: a turned-down word feels weaker than the word itself", () => {
    expect(feelingOf("This is not terrible.").strength).toBeLessThan(feelingOf("This is terrible.").strength);
    expect(feelingOf("I don't hate it").negative).toBe(false);
    expect(feelingOf("It is not good at all").negative).toBe(true);
    const negated = Math.max(...of("negated").map((p) => p.score));
    expect(negated).toBeLessThan(Math.min(...of("intense").map((p) => p.score)));
  });
});

describe("passion score parts", () => {
  it("names each part in words a moderator understands", () => {
    const { parts } = passionScore({ ...quiet, text: "I can't export: 3 of 40 invoices vanish in Xero. Terrible.", votes: 2, repliesByOthers: 3, quotes: 1, agreeing: 2, authorLeads: true });
    const label = Object.fromEntries(parts.map((p) => [p.key, p.label]));
    expect(label.feeling).toBe("frustrated: “terrible”");
    expect(label.details).toMatch(/^concrete: 2 numbers; names Xero/);
    expect(label.need).toBe("says what they need: “i can't”");
    expect(label.votes).toBe("2 votes");
    expect(label.replies).toBe("3 replies by others");
    expect(label.quotes).toBe("quoted 1 time");
    expect(label.agreeing).toBe("2 members agreeing");
    expect(label.author).toBe("author leads discussions");
  });

  it("caps engagement and keeps recency and role small", () => {
    const points = Object.fromEntries(passionScore({ ...quiet, text: "x", votes: 100, repliesByOthers: 100, quotes: 100, agreeing: 100, authorLeads: true, ageMs: 0 }).parts.map((p) => [p.key, p.points]));
    expect(points).toMatchObject({ votes: 15, replies: 10, quotes: 9, agreeing: 8, recency: 6, author: 4 });
    expect(passionScore({ ...quiet, text: "x", ageMs: 3 * DAY }).parts.find((p) => p.key === "recency")!.points).toBe(3);
    expect(passionScore({ ...quiet, text: "x", ageMs: -DAY }).parts.find((p) => p.key === "recency")!.points).toBe(6);
  });

  it("halves a repeat and says which post it repeats", () => {
    const text = "Sync is broken again and it is a disaster.";
    const original = passionScore({ ...quiet, text });
    const repeat = passionScore({ ...quiet, text, repeats: "Sync is broken" });
    expect(repeat.score).toBeCloseTo(original.score / 2, 0);
    expect(repeat.parts.at(-1)!.label).toBe("repeats “Sync is broken”: counted at half");
  });

  it("reads needs, details and feeling from the words", () => {
    expect(needsOf("We have to restart it. I need a fix; it blocks us.")).toEqual(["we have to", "i need", "blocks us"]);
    expect(detailsOf("First I open Reports, then I click Export.").steps).toBeGreaterThanOrEqual(3);
    expect(feelingOf("FIX IT!!!").shouting).toBeGreaterThan(0);
  });
});
