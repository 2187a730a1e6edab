import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { assertAllowed, can, decide, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor, type CommunityView } from "#app/features/communities/communities.server.ts";
import { segmentOf } from "#app/features/communities/segments.ts";
import { findThread } from "#app/features/discussions/posts.server.ts";
import { now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { Refusal } from "#app/lib/refusal.ts";
import type { PollCreate, PollResults } from "./schemas.ts";
import { tallyBySegment, tallyPoll, type PollChoiceRow, type PollResultsView } from "./tally.ts";

type Db = Kysely<Database>;
type PollRow = Database["polls"];

const switchesOf = (results: PollResults) => ({ masked: results === "after-answering" ? 1 : 0, hidden_until_close: results === "after-close" ? 1 : 0 }) as const;
export const resultsSetting = (poll: Pick<PollRow, "masked" | "hidden_until_close">): PollResults =>
  poll.hidden_until_close ? "after-close" : poll.masked ? "after-answering" : "always";

/**
 * Add a poll to a thread (a research prompt or a discussion, not an idea): moderators and the
 * community's leaders, while they may lead there. One poll per thread (a unique key).
 */
export async function createPoll(db: Db, actor: Actor, slug: string, threadId: string, input: PollCreate): Promise<{ pollId: string }> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  assertAllowed(actor, "poll.create", view);
  if (thread.kind === "idea") throw new Refusal(400, "Ideas are voted on; polls go on research prompts and discussions.");
  if (thread.removed) throw new Refusal(409, "This thread was removed; it cannot take a poll.");
  const pollId = newId();
  const at = now();
  const inserted = await db.transaction().execute(async (trx) => {
    const result = await trx
      .insertInto("polls")
      .values({
        id: pollId,
        community_id: view.community.id,
        thread_id: thread.id,
        question: input.question,
        multiple: input.choice === "single" ? 0 : 1,
        ranked: input.choice === "ranked" ? 1 : 0,
        allow_other: input.allowOther ? 1 : 0,
        ...switchesOf(input.results),
        created_by: actor.id,
        created_at: at,
      })
      .onConflict((conflict) => conflict.column("thread_id").doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    await trx
      .insertInto("poll_options")
      .values(input.options.map((label, position) => ({ id: newId(), poll_id: pollId, label, position })))
      .execute();
    return true;
  });
  if (!inserted) throw new Refusal(409, "This thread already has a poll.");
  return { pollId };
}

/** Why a poll with answers cannot change: said to whoever tries, and shown where the change would be offered. */
const POLL_ANSWERED = "Members have started answering this poll; it can no longer change.";

/**
 * Change a poll (question, options, switches) until its first answer: a typo or a missing
 * option is fixed before anyone answered; after that the poll is what members answered, and
 * it is locked. The same people may change it as may add it. The options go first, so a first
 * answer arriving meanwhile either lands before (then this sees it and changes nothing) or
 * finds its options gone and is refused (answerPoll).
 */
export async function editPoll(db: Db, actor: Actor, slug: string, threadId: string, input: PollCreate): Promise<void> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  assertAllowed(actor, "poll.create", view);
  const poll = await db.selectFrom("polls").select("id").where("thread_id", "=", thread.id).where("community_id", "=", view.community.id).executeTakeFirst();
  if (!poll) throw new Refusal(404, "This thread has no poll.");
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("poll_options").where("poll_id", "=", poll.id).execute();
    const answered = await trx.selectFrom("poll_answers").select("user_id").where("poll_id", "=", poll.id).limit(1).executeTakeFirst();
    if (answered) throw new Refusal(409, POLL_ANSWERED);
    await trx
      .updateTable("polls")
      .set({ question: input.question, multiple: input.choice === "single" ? 0 : 1, ranked: input.choice === "ranked" ? 1 : 0, allow_other: input.allowOther ? 1 : 0, ...switchesOf(input.results) })
      .where("id", "=", poll.id)
      .execute();
    await trx
      .insertInto("poll_options")
      .values(input.options.map((label, position) => ({ id: newId(), poll_id: poll.id, label, position })))
      .execute();
  });
}

/**
 * Answer a poll, or change the answer while the community is open. The answer row is keyed
 * (poll, member): the upsert takes that row's lock, so simultaneous answers by one member run
 * one after the other and the last one wins; there is never a second answer.
 */
export async function answerPoll(
  db: Db,
  actor: Actor,
  slug: string,
  threadId: string,
  input: { choices: { optionId: string; rank: number | null }[]; other: string | null },
): Promise<void> {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  assertAllowed(actor, "poll.answer", view);
  if (thread.removed === "moderator") throw new Refusal(403, "A moderator hid this thread; its poll takes no answers.");
  if (thread.locked_at !== null) throw new Refusal(403, "This thread is locked; its poll takes no new answers.");
  const poll = await db.selectFrom("polls").selectAll().where("thread_id", "=", thread.id).executeTakeFirst();
  if (!poll) throw new Refusal(404, "This thread has no poll.");
  const options = await db.selectFrom("poll_options").select("id").where("poll_id", "=", poll.id).execute();
  const known = new Set(options.map((o) => o.id));
  const choices = validChoices(poll, known, input.choices);
  const other = poll.allow_other ? input.other : null;
  if (choices.length === 0 && !other) throw new Refusal(400, poll.ranked ? "Give at least one option a place." : "Choose an answer.");
  if (!poll.multiple && choices.length + (other ? 1 : 0) > 1) throw new Refusal(400, "Choose one answer.");
  const at = now();
  const save = db.transaction().execute(async (trx) => {
    await trx
      .insertInto("poll_answers")
      .values({ poll_id: poll.id, user_id: actor.id, community_id: view.community.id, other_text: other, created_at: at, updated_at: at })
      .onConflict((conflict) => conflict.columns(["poll_id", "user_id"]).doUpdateSet({ other_text: other, updated_at: at }))
      .execute();
    await trx.deleteFrom("poll_answer_choices").where("poll_id", "=", poll.id).where("user_id", "=", actor.id).execute();
    if (choices.length > 0) {
      await trx
        .insertInto("poll_answer_choices")
        .values(choices.map((c) => ({ poll_id: poll.id, user_id: actor.id, option_id: c.optionId, rank: c.rank })))
        .onConflict((conflict) => conflict.columns(["poll_id", "user_id", "option_id"]).doNothing())
        .execute();
    }
  });
  await save.catch(async (error: unknown) => {
    // The poll was changed (editPoll) while this first answer was on its way: its options are new.
    const still = await db.selectFrom("poll_options").select("id").where("poll_id", "=", poll.id).execute();
    if (choices.some((c) => !still.some((o) => o.id === c.optionId))) throw new Refusal(409, "The poll changed while you were answering; read it again and answer.");
    throw error;
  });
}

function validChoices(poll: PollRow, known: Set<string>, choices: { optionId: string; rank: number | null }[]) {
  if (choices.some((c) => !known.has(c.optionId))) throw new Refusal(400, "That option is not in this poll.");
  const unique = [...new Map(choices.map((c) => [c.optionId, c])).values()];
  if (!poll.ranked) return unique.map((c) => ({ optionId: c.optionId, rank: null }));
  if (unique.some((c) => c.rank === null)) throw new Refusal(400, "Give each option you choose a place.");
  const ranks = unique.map((c) => c.rank!).sort((a, b) => a - b);
  // Places run 1, 2, 3… without gaps or ties, whatever the member left out.
  if (ranks.some((rank, i) => rank !== i + 1)) throw new Refusal(400, "Give the options you rank the places 1, 2, 3… each once.");
  return unique;
}

/** The results of one poll, counted in three queries whatever the number of answers. */
async function resultsOf(db: Db, poll: PollRow, options: { id: string; label: string }[]): Promise<PollResultsView> {
  const [choices, answers] = await Promise.all([
    db.selectFrom("poll_answer_choices").select(["user_id", "option_id", "rank"]).where("poll_id", "=", poll.id).execute(),
    db
      .selectFrom("poll_answers")
      .select((eb) => [eb.fn.countAll<number>().as("n"), eb.fn.count<number>("other_text").as("other")])
      .where("poll_id", "=", poll.id)
      .executeTakeFirstOrThrow(),
  ]);
  return tallyPoll(options, choices, Number(answers.n), Number(answers.other), poll.ranked === 1);
}

/** Each answering member's segment (where they are a member, or were when they left) and whether they answered "Other". */
async function answerersOf(db: Db, pollIds: string[]) {
  if (pollIds.length === 0) return [];
  const rows = await db
    .selectFrom("poll_answers")
    .leftJoin("memberships", (join) => join.onRef("memberships.community_id", "=", "poll_answers.community_id").onRef("memberships.user_id", "=", "poll_answers.user_id"))
    .leftJoin("former_memberships", (join) =>
      join.onRef("former_memberships.community_id", "=", "poll_answers.community_id").onRef("former_memberships.user_id", "=", "poll_answers.user_id"),
    )
    .select(["poll_answers.poll_id", "poll_answers.user_id", "poll_answers.other_text", "memberships.attributes", "former_memberships.attributes as former_attributes"])
    .where("poll_answers.poll_id", "in", pollIds)
    .execute();
  return rows.map((r) => ({ poll_id: r.poll_id, user_id: r.user_id, other_text: r.other_text, segment: segmentOf(r.attributes ?? r.former_attributes ?? null) }));
}

export interface PollView {
  id: string;
  question: string;
  multiple: boolean;
  ranked: boolean;
  allowOther: boolean;
  results: PollResults;
  options: { id: string; label: string }[];
  /** This reader's answer, to show and change. */
  mine: { choices: { optionId: string; rank: number | null }[]; other: string | null } | null;
  canAnswer: boolean;
  /** Whoever may add a poll may change it, until its first answer. */
  canEdit: boolean;
  /** Why one who may add a poll cannot change this one (it has answers), for them alone. */
  editRefusal: string | null;
  /** Why this reader cannot answer, when they are a member who cannot now. */
  answerRefusal: string | null;
  /** Null when this reader may not see them: nothing of them leaves the server. */
  tally: PollResultsView | null;
  /** Why the results are not shown, when they are not. */
  resultsHiddenBecause: string | null;
  /** For staff: the results per segment and the "Other" answers in members' words. */
  staff: { bySegment: { segment: string; results: PollResultsView }[]; otherAnswers: string[] } | null;
}

/** The poll on a thread as this reader may see it, or null when the thread has none. */
export async function pollForThread(db: Db, actor: Actor, view: CommunityView, thread: { id: string; locked_at: number | null; removed: string | null }): Promise<PollView | null> {
  const poll = await db.selectFrom("polls").selectAll().where("thread_id", "=", thread.id).where("community_id", "=", view.community.id).executeTakeFirst();
  if (!poll) return null;
  const [options, mineAnswer, mineChoices] = await Promise.all([
    db.selectFrom("poll_options").select(["id", "label"]).where("poll_id", "=", poll.id).orderBy("position").execute(),
    db.selectFrom("poll_answers").select("other_text").where("poll_id", "=", poll.id).where("user_id", "=", actor.id).executeTakeFirst(),
    db.selectFrom("poll_answer_choices").select(["option_id", "rank"]).where("poll_id", "=", poll.id).where("user_id", "=", actor.id).execute(),
  ]);
  const seeResults = decide(actor, "poll.see-results", { ...view, poll: { masked: poll.masked === 1, hiddenUntilClose: poll.hidden_until_close === 1 }, answered: mineAnswer !== undefined });
  const answer = decide(actor, "poll.answer", view);
  const threadRefusal = thread.removed === "moderator" ? "A moderator hid this thread; its poll takes no answers." : thread.locked_at !== null ? "This thread is locked; its poll takes no new answers." : null;
  const staffView = can(actor, "dashboard.view", view);
  const answered = can(actor, "poll.create", view) ? (await db.selectFrom("poll_answers").select("user_id").where("poll_id", "=", poll.id).limit(1).executeTakeFirst()) !== undefined : null;
  let staff: PollView["staff"] = null;
  if (staffView) {
    const [choices, answerers] = await Promise.all([
      db.selectFrom("poll_answer_choices").select(["user_id", "option_id", "rank"]).where("poll_id", "=", poll.id).execute(),
      answerersOf(db, [poll.id]),
    ]);
    staff = {
      bySegment: tallyBySegment(options, choices, answerers.map((a) => ({ user_id: a.user_id, segment: a.segment, other: a.other_text !== null })), poll.ranked === 1),
      otherAnswers: answerers.flatMap((a) => (a.other_text ? [a.other_text] : [])),
    };
  }
  return {
    id: poll.id,
    question: poll.question,
    multiple: poll.multiple === 1,
    ranked: poll.ranked === 1,
    allowOther: poll.allow_other === 1,
    results: resultsSetting(poll),
    options,
    mine: mineAnswer ? { choices: mineChoices.map((c) => ({ optionId: c.option_id, rank: c.rank })), other: mineAnswer.other_text } : null,
    canAnswer: answer.allowed && threadRefusal === null,
    canEdit: answered === false,
    editRefusal: answered ? POLL_ANSWERED : null,
    answerRefusal: view.membership ? (threadRefusal ?? (answer.allowed ? null : answer.message)) : null,
    tally: seeResults.allowed ? await resultsOf(db, poll, options) : null,
    resultsHiddenBecause: seeResults.allowed ? null : seeResults.message,
    staff,
  };
}

/** Every poll of a community with its results and split by segment: the dashboard, its CSV and (once closed) the readout. */
export async function communityPollResults(db: Db, view: CommunityView) {
  const polls = await db
    .selectFrom("polls")
    .innerJoin("threads", "threads.id", "polls.thread_id")
    .selectAll("polls")
    .select("threads.title as thread_title")
    .where("polls.community_id", "=", view.community.id)
    .where("threads.removed", "is", null)
    .orderBy("polls.created_at")
    .orderBy("polls.id")
    .limit(100)
    .execute();
  const ids = polls.map((p) => p.id);
  if (ids.length === 0) return [];
  const [options, choices, answerers] = await Promise.all([
    db.selectFrom("poll_options").select(["id", "label", "poll_id"]).where("poll_id", "in", ids).orderBy("position").execute(),
    db.selectFrom("poll_answer_choices").select(["poll_id", "user_id", "option_id", "rank"]).where("poll_id", "in", ids).execute(),
    answerersOf(db, ids),
  ]);
  return polls.map((poll) => {
    const own = options.filter((o) => o.poll_id === poll.id);
    const pollChoices: PollChoiceRow[] = choices.filter((c) => c.poll_id === poll.id);
    const people = answerers.filter((a) => a.poll_id === poll.id).map((a) => ({ user_id: a.user_id, segment: a.segment, other: a.other_text !== null }));
    return {
      id: poll.id,
      threadId: poll.thread_id,
      threadTitle: poll.thread_title,
      question: poll.question,
      ranked: poll.ranked === 1,
      results: tallyPoll(own, pollChoices, people.length, people.filter((p) => p.other).length, poll.ranked === 1),
      bySegment: tallyBySegment(own, pollChoices, people, poll.ranked === 1),
    };
  });
}

/** The polls of a community for its staff (dashboard and CSV); the policy's refusal otherwise. */
export async function pollResultsForStaff(db: Db, actor: Actor, slug: string) {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "dashboard.view", view);
  return { view, polls: await communityPollResults(db, view) };
}

/** The readout's poll results: once the community has closed, for those the readout opens to; no split by segment. */
export async function readoutPollResults(db: Db, view: CommunityView) {
  const over = view.community.phase === "closed" || view.community.phase === "archived";
  if (!over) return [];
  return (await communityPollResults(db, view)).map(({ bySegment: _bySegment, ...poll }) => poll);
}

/**
 * Which members answered which polls in a community: the polls participants can see now (on
 * threads not removed and already visible), in their threads' order, and for each member id (of `userIds`
 * when given: one page of the completion table) the ids of the polls they answered. One query.
 */
export async function pollsAnsweredByMember(
  db: Db,
  communityId: string,
  userIds?: string[],
): Promise<{ polls: { id: string; threadId: string; question: string }[]; answered: Map<string, Set<string>> }> {
  const rows = await db
    .selectFrom("polls")
    .innerJoin("threads", "threads.id", "polls.thread_id")
    .leftJoin("poll_answers", (join) =>
      join.onRef("poll_answers.poll_id", "=", "polls.id").$call((on) => (userIds === undefined ? on : on.on("poll_answers.user_id", "in", userIds.length ? userIds : [""]))),
    )
    .select(["polls.id", "polls.thread_id", "polls.question", "poll_answers.user_id"])
    .where("polls.community_id", "=", communityId)
    .where("threads.removed", "is", null)
    .where("threads.visible_from", "<=", now())
    // In the order of their threads, as the completion table orders its prompts.
    .orderBy("threads.visible_from")
    .orderBy("polls.created_at")
    .orderBy("polls.id")
    .execute();
  const polls = new Map<string, { id: string; threadId: string; question: string }>();
  const answered = new Map<string, Set<string>>();
  for (const row of rows) {
    polls.set(row.id, { id: row.id, threadId: row.thread_id, question: row.question });
    if (!row.user_id) continue;
    if (!answered.has(row.user_id)) answered.set(row.user_id, new Set());
    answered.get(row.user_id)!.add(row.id);
  }
  return { polls: [...polls.values()], answered };
}

/** The poll page of a thread: its poll as this reader sees it, or (for those who may add one) the form to add it. */
export async function pollPage(db: Db, actor: Actor, slug: string, threadId: string) {
  const view = await getCommunityForActor(db, actor, slug);
  const thread = await findThread(db, actor, view, threadId);
  const poll = await pollForThread(db, actor, view, thread);
  const canCreate = poll === null && thread.kind !== "idea" && thread.removed === null && can(actor, "poll.create", view);
  if (!poll && !canCreate) throw new Refusal(404, "This thread has no poll.");
  return { view, thread: { id: thread.id, title: thread.title, kind: thread.kind }, poll, canCreate };
}
