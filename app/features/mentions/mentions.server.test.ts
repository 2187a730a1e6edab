import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listNotifications } from "#app/features/notifications/notifications.server.ts";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { DAY, SECOND, advanceClock, resetClock, setClock } from "#app/lib/clock.ts";
import { editPost, replyToThread, startThread } from "#app/features/discussions/posting.server.ts";
import { readThread } from "#app/features/discussions/reading.server.ts";
import { setPreferences } from "#app/features/notifications/email.server.ts";
import { linkMentions, mentionCandidates, mentionSuggestions, resolveMentions } from "./mentions.server.ts";

const START = Date.UTC(2026, 2, 3, 8);

describe("finding mentions in text", () => {
  it("takes one to four words after an @, not an email address", () => {
    expect(mentionCandidates("Thanks @Lena Fischer, and mail me at sam@example.com")).toEqual(["lena", "lena fischer"]);
    expect(mentionCandidates("@Maya")).toEqual(["maya"]);
  });
  it("links a resolved name to the profile and leaves the rest as typed", () => {
    expect(linkMentions("Hi @Lena Fischer and @nobody", [{ id: "u1", name: "Lena Fischer" }])).toBe("Hi [@Lena Fischer](/people/u1) and @nobody");
  });
});

describe.each(testEngines())("mentions on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let lena: Actor;
  let sam: Actor;
  let june: Actor;
  let outsider: Actor;
  let communityId = "";
  const slug = "mentions";

  // As the bell reads them: people by their current names.
  const notes = async (who: Actor) => (await listNotifications(t.db, who.id)).filter((n) => n.kind === "mention").map(({ title, link, kind }) => ({ title, link, kind }));
  const mails = (to: string) => t.db.selectFrom("outbox").select("subject").where("to_address", "=", to).where("subject", "like", "%mentioned you%").execute();
  const person = async (email: string, name: string, role: Actor["role"] = "member"): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email, displayName: name, password: "password!", role });
    return { id: userId, role };
  };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("maya@example.com", "Maya Chen", "moderator");
    lena = await person("lena@example.com", "Lena Fischer");
    sam = await person("sam@example.com", "Sam Okafor");
    june = await person("june@example.com", "June Park");
    outsider = await person("omar@example.com", "Omar Haddad");
    const twinA = await person("alex1@example.com", "Alex Kim");
    const twinB = await person("alex2@example.com", "Alex Kim");
    setClock(START - DAY);
    await createCommunity(t.db, moderator, { name: "Mentions", slug, purpose: "A community to talk in, at length.", timeZone: "UTC", startsAt: "2026-03-03T08:00", endsAt: "2026-03-17T08:00" });
    await publishCommunity(t.db, moderator, slug);
    communityId = (await getCommunityForActor(t.db, moderator, slug)).community.id;
    for (const m of [lena, sam, june, twinA, twinB]) await addMember(t.db, { communityId, userId: m.id, role: "participant", datesConfirmedAt: 1 });
    await addMember(t.db, { communityId, userId: moderator.id, role: "moderator", datesConfirmedAt: 1 });
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => resetClock());

  it("links and notifies a mentioned member once per post; an edit tells only the newly mentioned; never an outsider or an ambiguous name", async () => {
    setClock(START + SECOND);
    const { threadId } = await startThread(t.db, lena, slug, { title: "Exports", body: "What do you think, @Sam Okafor? And @Omar Haddad, @Alex Kim." });
    const page = await readThread(t.db, lena, slug, threadId);
    expect(page.opening.bodyHtml).toContain(`<a href="/people/${sam.id}" rel="nofollow ugc noopener">@Sam Okafor</a>`);
    // Omar is not a member here, and two members are called Alex Kim: neither is linked.
    expect(page.opening.bodyHtml?.match(/\/people\//g)).toHaveLength(1);
    expect(await notes(sam)).toEqual([{ kind: "mention", title: 'Lena Fischer mentioned you in "Exports" in Mentions', link: `/c/${slug}/t/${threadId}` }]);
    expect(await notes(outsider)).toEqual([]);
    expect(await mails("sam@example.com")).toHaveLength(1);

    advanceClock(30 * SECOND);
    await editPost(t.db, lena, slug, threadId, { kind: "thread", id: threadId }, { body: "What do you think, @Sam Okafor and @june park?" });
    expect(await notes(sam)).toHaveLength(1);
    expect(await notes(june)).toHaveLength(1);
    // Mentioning yourself tells nobody.
    advanceClock(30 * SECOND);
    await replyToThread(t.db, lena, slug, threadId, { body: "Note to self, @Lena Fischer." });
    expect(await notes(lena)).toEqual([]);
  });

  it("never tells a participant who has not answered a masked prompt, and emails nobody who turned mentions off", async () => {
    setClock(START + DAY);
    await setPreferences(t.db, june.id, { mention: "off" });
    const before = (await mails("june@example.com")).length;
    const { threadId } = await startThread(t.db, moderator, slug, { title: "Your desk", body: "A photo, please.", prompt: { masked: true, appearsAt: null } });
    advanceClock(10 * SECOND);
    await replyToThread(t.db, lena, slug, threadId, { body: "Mine is tidy, unlike @Sam Okafor's. @June Park?" });
    // Sam has not answered the masked prompt: he cannot read Lena's answer, so he is not told.
    expect((await notes(sam)).some((n) => n.title.includes("Your desk"))).toBe(false);
    advanceClock(10 * SECOND);
    await replyToThread(t.db, june, slug, threadId, { body: "Here is mine." });
    advanceClock(10 * SECOND);
    await replyToThread(t.db, lena, slug, threadId, { body: "Nice one @June Park" });
    // June answered, so this one reaches her in the app, but not by email: she turned it off.
    expect((await notes(june)).filter((n) => n.title.includes("Your desk"))).toHaveLength(1);
    expect((await mails("june@example.com")).length).toBe(before);
  });

  it("caps the mentions in a post with a clear message", async () => {
    setClock(START + 2 * DAY);
    const many: string[] = [];
    for (let i = 0; i < 11; i++) {
      const p = await person(`many${i}@example.com`, `Many${i} Person`);
      await addMember(t.db, { communityId, userId: p.id, role: "participant", datesConfirmedAt: 1 });
      many.push(`@Many${i} Person`);
    }
    expect(await resolveMentions(t.db, communityId, many.slice(0, 3).join(" "))).toHaveLength(3);
    const refusal = await refusalOf(startThread(t.db, sam, slug, { title: "Everyone", body: many.join(" ") }));
    expect(refusal.message).toBe("Mention at most 10 people in one post.");
  });

  it("suggests members by name (never email) as one types", async () => {
    expect(await mentionSuggestions(t.db, communityId, "le")).toEqual([{ id: lena.id, name: "Lena Fischer" }]);
    expect(await mentionSuggestions(t.db, communityId, "fisch")).toEqual([{ id: lena.id, name: "Lena Fischer" }]);
    expect(await mentionSuggestions(t.db, communityId, "omar")).toEqual([]);
  });
});
