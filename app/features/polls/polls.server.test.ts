import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refusalOf } from "#app/lib/testing.ts";
import { createTestDatabase, testEngines, type TestDatabase } from "#db/testing.ts";
import { createAccount } from "#app/features/auth/accounts.server.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { addMember, createCommunity, getCommunityForActor, publishCommunity } from "#app/features/communities/communities.server.ts";
import { findThread } from "#app/features/discussions/posts.server.ts";
import { startThread } from "#app/features/discussions/posting.server.ts";
import { DAY, resetClock, setClock } from "#app/lib/clock.ts";
import { answerPoll, createPoll, editPoll, pollForThread, pollResultsForStaff, pollsAnsweredByMember, readoutPollResults } from "./polls.server.ts";
import type { PollCreate } from "./schemas.ts";

const START = Date.UTC(2026, 4, 4, 8);
const OPTIONS = ["Weekly", "Monthly", "Never"];

describe.each(testEngines())("polls on %s", (engine) => {
  let t: TestDatabase;
  let moderator: Actor;
  let n = 0;
  const person = async (role: Actor["role"] = "member"): Promise<Actor> => {
    const { userId } = await createAccount(t.db, { email: `p${++n}@example.com`, displayName: `P${n}`, password: "password!", role });
    return { id: userId, role };
  };

  /** An open community with a leader and two participants (segments smb and enterprise), and a prompt by the leader. */
  async function setUp(poll: Partial<PollCreate> = {}) {
    setClock(START - DAY);
    const slug = `polls-${++n}`;
    await createCommunity(t.db, moderator, { name: "Polls", slug, purpose: "A community with polls in it.", timeZone: "UTC", startsAt: "2026-05-04T08:00", endsAt: "2026-05-18T08:00" });
    await publishCommunity(t.db, moderator, slug);
    const { community } = await getCommunityForActor(t.db, moderator, slug);
    const [leader, a, b] = [await person(), await person(), await person()];
    await addMember(t.db, { communityId: community.id, userId: leader.id, role: "leader", datesConfirmedAt: 1, attributes: { segment: "smb" } });
    await addMember(t.db, { communityId: community.id, userId: a.id, role: "participant", datesConfirmedAt: 1, attributes: { segment: "smb" } });
    await addMember(t.db, { communityId: community.id, userId: b.id, role: "participant", datesConfirmedAt: 1, attributes: { segment: "enterprise" } });
    setClock(START + DAY);
    const { threadId } = await startThread(t.db, leader, slug, { title: "How often?", body: "Tell us.", prompt: { masked: false, appearsAt: null } });
    await createPoll(t.db, leader, slug, threadId, { question: "How often do you export?", options: OPTIONS, choice: "single", allowOther: true, results: "after-answering", ...poll });
    const optionIds = async (reader: Actor) => (await read(reader)).options.map((o) => o.id);
    const read = async (reader: Actor) => {
      const view = await getCommunityForActor(t.db, reader, slug);
      return (await pollForThread(t.db, reader, view, await findThread(t.db, reader, view, threadId)))!;
    };
    return { slug, threadId, community, leader, a, b, read, optionIds };
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    moderator = await person("moderator");
  });
  afterAll(async () => t.cleanup());
  afterEach(() => resetClock());

  it("masks the results from a participant until they answer, and shows staff the split by segment", async () => {
    const { slug, threadId, a, b, read, optionIds } = await setUp();
    const [weekly, monthly] = await optionIds(a);
    expect((await read(a)).tally).toBeNull();
    expect((await read(a)).resultsHiddenBecause).toBe("You will see the results once you have answered.");
    await answerPoll(t.db, b, slug, threadId, { choices: [{ optionId: monthly!, rank: null }], other: null });
    await answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: weekly!, rank: null }], other: null });
    const seen = (await read(a)).tally!;
    expect(seen.answers).toBe(2);
    expect(seen.options.map((o) => [o.label, o.count])).toEqual([["Weekly", 1], ["Monthly", 1], ["Never", 0]]);
    expect((await read(a)).staff).toBeNull();
    const staff = (await read(moderator)).staff!;
    expect(staff.bySegment.map((s) => [s.segment, s.results.options.find((o) => o.count === 1)?.label])).toEqual([["enterprise", "Monthly"], ["smb", "Weekly"]]);
  });

  it("lets a member change their answer while open, and keeps one answer", async () => {
    const { slug, threadId, a, read, optionIds } = await setUp();
    const [weekly, , never] = await optionIds(a);
    await answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: weekly!, rank: null }], other: null });
    await answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: never!, rank: null }], other: null });
    const poll = await read(a);
    expect(poll.mine?.choices.map((c) => c.optionId)).toEqual([never]);
    expect(poll.tally?.answers).toBe(1);
    expect(poll.tally?.options.find((o) => o.label === "Never")?.count).toBe(1);
    expect(poll.tally?.options.find((o) => o.label === "Weekly")?.count).toBe(0);
    // A single-choice poll takes one answer, and "Other" needs words.
    expect((await refusalOf(answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: weekly!, rank: null }], other: "Daily" }))).message).toBe("Choose one answer.");
    await answerPoll(t.db, a, slug, threadId, { choices: [], other: "Daily" });
    expect((await read(moderator)).staff?.otherAnswers).toEqual(["Daily"]);
    expect((await read(a)).tally?.other).toBe(1);
  });

  it("leaves exactly one answer after 50 simultaneous answers by one member", async () => {
    const { slug, threadId, a, optionIds } = await setUp({ choice: "multiple" });
    const ids = await optionIds(a);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: ids[i % 3]!, rank: null }, { optionId: ids[(i + 1) % 3]!, rank: null }], other: null })),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const answers = await t.db.selectFrom("poll_answers").select("user_id").where("user_id", "=", a.id).execute();
    expect(answers).toHaveLength(1);
    // The last answer written wins whole: two choices, never a mix of several answers.
    const choices = await t.db.selectFrom("poll_answer_choices").select("option_id").where("user_id", "=", a.id).execute();
    expect(choices).toHaveLength(2);
  });

  it("hides results from participants until close, then opens them in the readout", async () => {
    const { slug, threadId, a, b, read, optionIds } = await setUp({ results: "after-close" });
    const [weekly] = await optionIds(a);
    await answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: weekly!, rank: null }], other: null });
    expect((await read(a)).tally).toBeNull();
    expect((await read(a)).resultsHiddenBecause).toBe("The results stay hidden until the community closes.");
    expect((await read(moderator)).tally?.answers).toBe(1);
    setClock(Date.UTC(2026, 4, 18, 9));
    expect((await read(b)).tally?.answers).toBe(1);
    expect((await refusalOf(answerPoll(t.db, b, slug, threadId, { choices: [{ optionId: weekly!, rank: null }], other: null }))).message).toMatch(/closed on/);
    const view = await getCommunityForActor(t.db, b, slug, "community.readout");
    const readout = await readoutPollResults(t.db, view);
    expect(readout.map((p) => [p.question, p.results.answers])).toEqual([["How often do you export?", 1]]);
    expect(readout[0]).not.toHaveProperty("bySegment");
  });

  it("ranks options with places 1, 2, 3 and orders results by average place", async () => {
    const { slug, threadId, a, b, read, optionIds } = await setUp({ choice: "ranked", allowOther: false });
    const [weekly, monthly, never] = await optionIds(a);
    await answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: monthly!, rank: 1 }, { optionId: weekly!, rank: 2 }], other: null });
    await answerPoll(t.db, b, slug, threadId, { choices: [{ optionId: monthly!, rank: 2 }, { optionId: never!, rank: 1 }], other: null });
    expect((await refusalOf(answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: monthly!, rank: 1 }, { optionId: weekly!, rank: 3 }], other: null }))).message).toBe(
      "Give the options you rank the places 1, 2, 3… each once.",
    );
    const tally = (await read(a)).tally!;
    expect(tally.options.map((o) => [o.label, o.averageRank])).toEqual([["Never", 1], ["Monthly", 1.5], ["Weekly", 2]]);
  });

  it("lets only moderators and leaders add a poll, once per thread, and only members answer", async () => {
    const { slug, threadId, a, community, leader, optionIds } = await setUp();
    const input: PollCreate = { question: "Again?", options: ["Yes", "No"], choice: "single", allowOther: false, results: "always" };
    expect((await refusalOf(createPoll(t.db, a, slug, threadId, input))).message).toBe("Only moderators and discussion leaders can do this.");
    expect((await refusalOf(createPoll(t.db, leader, slug, threadId, input))).message).toBe("This thread already has a poll.");
    const [weekly] = await optionIds(a);
    expect((await refusalOf(answerPoll(t.db, moderator, slug, threadId, { choices: [{ optionId: weekly!, rank: null }], other: null }))).message).toBe("Only the community's members answer its polls.");
    const outsider = await person();
    expect((await refusalOf(answerPoll(t.db, outsider, slug, threadId, { choices: [{ optionId: weekly!, rank: null }], other: null }))).status).toBe(404);
    expect((await refusalOf(answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: "not-an-option", rank: null }], other: null }))).message).toBe("That option is not in this poll.");
    await answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: weekly!, rank: null }], other: null });
    const { polls, answered } = await pollsAnsweredByMember(t.db, community.id);
    expect(polls.map((p) => p.question)).toEqual(["How often do you export?"]);
    expect([...answered.entries()]).toEqual([[a.id, new Set([polls[0]!.id])]]);
    expect((await refusalOf(pollResultsForStaff(t.db, a, slug))).status).toBe(403);
    expect((await pollResultsForStaff(t.db, moderator, slug)).polls[0]?.results.answers).toBe(1);
  });

  it("lets those who may add a poll change it until the first answer, then locks it; a first answer racing a change never mixes the two", async () => {
    const { slug, threadId, a, b, leader, read, optionIds } = await setUp();
    const change: PollCreate = { question: "How often do you export reports?", options: ["Daily", "Weekly", "Monthly", "Never"], choice: "multiple", allowOther: false, results: "always" };
    expect((await read(leader)).canEdit).toBe(true);
    expect((await read(leader)).editRefusal).toBeNull();
    expect((await read(a)).canEdit).toBe(false);
    // A member who may not change polls is told nothing about changing them.
    expect((await read(a)).editRefusal).toBeNull();
    expect((await refusalOf(editPoll(t.db, a, slug, threadId, change))).message).toBe("Only moderators and discussion leaders can do this.");
    await editPoll(t.db, leader, slug, threadId, change);
    const changed = await read(a);
    expect([changed.question, changed.options.map((o) => o.label), changed.multiple, changed.allowOther, changed.results]).toEqual([change.question, change.options, true, false, "always"]);

    // An answer with an option of the poll as it was is refused, not mixed in.
    const stale = await optionIds(a);
    await editPoll(t.db, moderator, slug, threadId, { ...change, options: ["Daily", "Weekly"] });
    expect((await refusalOf(answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: stale[3]!, rank: null }], other: null }))).message).toBe("That option is not in this poll.");

    // A first answer and a change at once: one of them wins whole.
    const [daily] = await optionIds(a);
    const [answered, edited] = await Promise.allSettled([
      answerPoll(t.db, a, slug, threadId, { choices: [{ optionId: daily!, rank: null }], other: null }),
      editPoll(t.db, leader, slug, threadId, { ...change, options: ["Every day", "Every week"] }),
    ]);
    expect([answered.status, edited.status].sort()).toEqual(["fulfilled", "rejected"]);
    const loser = (answered.status === "rejected" ? answered : edited) as PromiseRejectedResult;
    // The change refused (409), or the answer: its option went while it was on its way (400 or 409).
    expect([400, 409]).toContain(loser.reason.status);
    const options = await optionIds(a);
    const choices = await t.db.selectFrom("poll_answer_choices").select("option_id").where("user_id", "=", a.id).execute();
    expect(choices.every((c) => options.includes(c.option_id))).toBe(true);
    expect((await t.db.selectFrom("poll_answers").select("user_id").where("user_id", "=", a.id).execute()).length).toBe(answered.status === "fulfilled" ? 1 : 0);

    // Once anyone answered, the poll stays as it is.
    await answerPoll(t.db, b, slug, threadId, { choices: [{ optionId: options[0]!, rank: null }], other: null });
    expect((await read(leader)).canEdit).toBe(false);
    // The leader is told why, in the words the refusal uses.
    expect((await read(leader)).editRefusal).toBe("Members have started answering this poll; it can no longer change.");
    expect((await read(b)).editRefusal).toBeNull();
    expect((await refusalOf(editPoll(t.db, leader, slug, threadId, change))).message).toBe("Members have started answering this poll; it can no longer change.");
    expect((await read(b)).options.map((o) => o.id)).toEqual(options);
  });
});
