import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { named } from "#app/lib/named-text.ts";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import { can, type Actor } from "#app/features/auth/policy.ts";
import { DAY, HOUR, MINUTE, resetClock, setClock } from "#app/lib/clock.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";
import { triageItem } from "#app/features/triage/triage.server.ts";
import { answerSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { readout } from "#app/features/suggestions/readout.server.ts";
import { notifyMembers } from "#app/features/notifications/notifications.server.ts";
import { sendReminders } from "#app/features/notifications/jobs.server.ts";
import { search } from "#app/features/search/search.server.ts";
import { toLocalInput } from "#app/lib/dates.ts";
import {
  addMember,
  closeCommunityNow,
  countMembers,
  createCommunity,
  getCommunityForActor,
  leaveCommunity,
  listFormerCommunities,
  listHomeCommunities,
  listMembers,
  publishCommunity,
  shorteningWarning,
  updateCommunity,
} from "./communities.server.ts";

const OPENS = Date.UTC(2026, 2, 1, 9);
const CLOSES = OPENS + 15 * DAY;

const brief = (slug: string, startsAt = OPENS, endsAt = CLOSES) => ({
  name: `Timed ${slug}`,
  slug,
  purpose: "A community whose time box matters, at length.",
  timeZone: "Europe/Berlin",
  startsAt: toLocalInput(startsAt, "Europe/Berlin"),
  endsAt: toLocalInput(endsAt, "Europe/Berlin"),
});

describe.each(testEngines())("leaving, closing early and reminders on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let lena: Actor;
  let sam: Actor;
  let product: Actor;
  const person = async (role: Actor["role"], name: string): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `${name}@example.com`, displayName: name, password: "password!", role });
    return { id: userId, role };
  };
  const community = async (slug: string, startsAt = OPENS, endsAt = CLOSES) => {
    setClock(OPENS - 10 * DAY);
    await createCommunity(t.db, moderator, brief(slug, startsAt, endsAt));
    await publishCommunity(t.db, moderator, slug);
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    for (const who of [lena, sam]) await addMember(t.db, { communityId: community.id, userId: who.id, role: "participant", datesConfirmedAt: 1 });
    return community;
  };
  const titles = async (who: Actor) =>
    (await t.db.selectFrom("notifications").select("title").where("user_id", "=", who.id).orderBy("created_at").execute()).map((n) => n.title);

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator", "mod");
    lena = await person("member", "lena");
    sam = await person("member", "sam");
    product = await person("product", "priya");
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("a member who leaves keeps her words and her answers, is no longer counted or told, and gets the readout at close", async () => {
    const c = await community("leaving");
    setClock(OPENS + DAY);
    const { threadId } = await startThread(t.db, lena, "leaving", { title: "Exports are slow", body: "Exports take minutes, every Monday." });
    expect(await countMembers(t.db, c.id)).toBe(2);

    await leaveCommunity(t.db, lena, "leaving");
    // A second leave is refused, not an error page.
    expect((await refusalOf(leaveCommunity(t.db, lena, "leaving"))).status).toBe(404);
    // Gone from her pages: 404, not a hint that it exists.
    expect((await refusalOf(getCommunityForActor(t.db, lena, "leaving"))).status).toBe(404);
    expect((await listHomeCommunities(t.db, lena)).map((x) => x.slug)).not.toContain("leaving");
    expect((await listFormerCommunities(t.db, lena)).map((x) => [x.slug, x.readout])).toEqual([["leaving", false]]);
    // Not counted, listed or notified as a member.
    expect(await countMembers(t.db, c.id)).toBe(1);
    expect((await listMembers(t.db, moderator, "leaving")).map((m) => m.display_name)).toEqual(["sam"]);
    await notifyMembers(t.db, c.id, { kind: "prompt.new", title: named`For members only` });
    expect(await titles(lena)).not.toContain("For members only");
    expect(await titles(sam)).toContain("For members only");
    // Search no longer reaches into it for her.
    expect((await search(t.db, lena, "Exports")).length).toBe(0);
    // What she wrote stays, under her name.
    const thread = await t.db.selectFrom("threads").innerJoin("users", "users.id", "threads.author_id").select(["users.display_name"]).where("threads.id", "=", threadId).executeTakeFirstOrThrow();
    expect(thread.display_name).toBe("lena");

    // Her feedback becomes a suggestion and is answered: she hears it.
    await triageItem(t.db, moderator, { kind: "thread", id: threadId }, { tags: [], suggestion: "Faster exports" });
    const suggestion = await t.db.selectFrom("suggestions").select("id").where("title", "=", "Faster exports").executeTakeFirstOrThrow();
    await answerSuggestion(t.db, product, suggestion.id, { status: "planned", answer: "We are rebuilding exports.", alternative: "", withoutAlternative: false }, { siteOrigin: "http://localhost" });
    expect((await titles(lena)).some((title) => title.includes("Faster exports"))).toBe(true);

    // No readout while it runs; the readout once it closes.
    expect((await refusalOf(readout(t.db, lena, "leaving"))).status).toBe(404);
    setClock(CLOSES + MINUTE);
    const page = await readout(t.db, lena, "leaving");
    expect(page.suggestions.map((s) => [s.title, s.yours.length])).toEqual([["Faster exports", 1]]);
    expect((await listFormerCommunities(t.db, lena))[0]!.readout).toBe(true);
    // Still nothing else: the community itself stays closed to her.
    expect((await refusalOf(getCommunityForActor(t.db, lena, "leaving"))).status).toBe(404);
    // Someone who was never a member gets no readout.
    const stranger = await person("member", "stranger");
    expect((await refusalOf(readout(t.db, stranger, "leaving"))).status).toBe(404);
  });

  it("a member invited back is a member again", async () => {
    const c = await community("returning");
    setClock(OPENS + DAY);
    await leaveCommunity(t.db, sam, "returning");
    await addMember(t.db, { communityId: c.id, userId: sam.id, role: "participant", datesConfirmedAt: 1 });
    const view = await getCommunityForActor(t.db, sam, "returning");
    expect([view.membership?.role, view.formerMember]).toEqual(["participant", false]);
  });

  it("a moderator closes a live community now: read only from that moment, members told", async () => {
    await community("closing");
    setClock(OPENS + 2 * DAY);
    expect((await refusalOf(closeCommunityNow(t.db, lena, "closing"))).status).toBe(403);
    const at = OPENS + 2 * DAY;
    expect(await closeCommunityNow(t.db, moderator, "closing")).toEqual({ told: 2 });
    const view = await getCommunityForActor(t.db, lena, "closing");
    expect([view.community.phase, view.community.ends_at]).toEqual(["closed", at]);
    expect(can(lena, "community.participate", view)).toBe(false);
    expect((await refusalOf(startThread(t.db, lena, "closing", { title: "Too late", body: "x" }))).message).toMatch(/closed on .* read only/);
    expect(await titles(sam)).toContain("Timed closing has closed");
    const announcement = await t.db.selectFrom("announcements").select("body").where("community_id", "=", view.community.id).executeTakeFirstOrThrow();
    expect(announcement.body).toContain("closed Timed closing early, on Tuesday, 3 March 2026 at 10:00 CET");
    // Closing twice is refused; nor can an upcoming community be closed "now".
    expect((await refusalOf(closeCommunityNow(t.db, moderator, "closing"))).status).toBe(409);
    await community("not-yet", OPENS + 20 * DAY, OPENS + 30 * DAY);
    setClock(OPENS);
    expect((await refusalOf(closeCommunityNow(t.db, moderator, "not-yet"))).status).toBe(409);
  });

  it("warns before shortening a live community, saying when and how many members hear it", async () => {
    await community("shortened");
    setClock(OPENS + 5 * MINUTE);
    const soon = brief("shortened", OPENS, OPENS + 25 * MINUTE);
    expect(await shorteningWarning(t.db, moderator, "shortened", soon)).toBe(
      "This closes the community in 20 minutes (Sunday, 1 March 2026 at 10:25 CET) instead of in 14 days; 2 members will be told.",
    );
    // Lengthening, or a community not yet open, needs no warning.
    expect(await shorteningWarning(t.db, moderator, "shortened", brief("shortened", OPENS, CLOSES + DAY))).toBeNull();
    expect((await refusalOf(shorteningWarning(t.db, lena, "shortened", soon))).status).toBe(403);
  });

  it("reminders say the real time left, never for a moment already past, and once more when the dates move", async () => {
    await community("reminded");
    // Live for 15 days; a moderator shortens it to close in 20 minutes.
    setClock(OPENS + 3 * DAY);
    await updateCommunity(t.db, moderator, "reminded", brief("reminded", OPENS, OPENS + 3 * DAY + 20 * MINUTE));
    setClock(OPENS + 3 * DAY + MINUTE);
    expect((await sendReminders(t.db)).sent).toContain("reminded:closes-soon");
    const closing = (await titles(lena)).filter((title) => title.startsWith("Timed reminded closes"));
    expect(closing).toEqual(["Timed reminded closes in 19 minutes"]);
    const note = await t.db.selectFrom("notifications").select("body").where("user_id", "=", lena.id).where("title", "=", closing[0]!).executeTakeFirstOrThrow();
    expect(note.body).toContain("Wednesday, 4 March 2026 at 10:20 CET");
    expect((await sendReminders(t.db)).sent).not.toContain("reminded:closes-soon");

    // Past the close: no reminder for a moment that has gone.
    setClock(OPENS + 3 * DAY + 21 * MINUTE);
    expect((await sendReminders(t.db)).sent).not.toContain("reminded:closes-soon");

    // Reopened for a week (a date change): 48 hours before the new close, its reminder goes out, once.
    const newClose = OPENS + 10 * DAY;
    await updateCommunity(t.db, moderator, "reminded", brief("reminded", OPENS, newClose));
    setClock(newClose - 3 * DAY);
    expect((await sendReminders(t.db)).sent).not.toContain("reminded:closes-soon");
    setClock(newClose - 47 * HOUR);
    const runs = await Promise.all([sendReminders(t.db), sendReminders(t.db)]);
    expect(runs.flatMap((r) => r.sent).filter((s) => s === "reminded:closes-soon")).toHaveLength(1);
    expect((await titles(lena)).filter((title) => title.startsWith("Timed reminded closes"))).toEqual(["Timed reminded closes in 19 minutes", "Timed reminded closes in 47 hours"]);
    expect((await titles(lena)).some((title) => title.includes("48 hours"))).toBe(false);
  });

  it("an opening moved later gets its reminder for the new moment, with the new time", async () => {
    const starts = OPENS + 40 * DAY;
    await community("moved", starts, starts + 10 * DAY);
    setClock(starts - 20 * HOUR);
    expect((await sendReminders(t.db)).sent).toContain("moved:opens-tomorrow");
    await updateCommunity(t.db, moderator, "moved", brief("moved", starts + 3 * DAY, starts + 10 * DAY));
    expect((await sendReminders(t.db)).sent).not.toContain("moved:opens-tomorrow");
    setClock(starts + 3 * DAY - 5 * HOUR);
    expect((await sendReminders(t.db)).sent).toContain("moved:opens-tomorrow");
    expect((await titles(sam)).filter((title) => title.startsWith("Timed moved opens"))).toEqual(["Timed moved opens in 20 hours", "Timed moved opens in 5 hours"]);
  });
});
