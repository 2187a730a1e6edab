/**
 * Completion: who has answered which research prompt, per community, and nudges to those
 * who have not. A prompt counts as answered by a participant's own reply in it (not removed,
 * not a private follow-up's answer); a private follow-up still open on it shows as such.
 */
import { named } from "#app/lib/named-text.ts";
import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { assertAllowed, can, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor, type CommunityView } from "#app/features/communities/communities.server.ts";
import { segmentOf } from "#app/features/communities/segments.ts";
import { threadLink } from "#app/features/discussions/links.ts";
import { notifyEach } from "#app/features/notifications/notifications.server.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import { pollsAnsweredByMember } from "#app/features/polls/polls.server.ts";
import { now } from "#app/lib/clock.ts";
import { pastCursor, type Cursor } from "#app/lib/cursor.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { count } from "#app/lib/plural.ts";
import { CELL_LABEL, cellState, dayInZone, segmentPattern, SUMMARY_COLUMNS, type CellState, type SummaryKey } from "./completion.ts";

type Db = Kysely<Database>;

export interface CompletionFilters {
  /** Only those who have not answered this prompt (a thread id). */
  notAnswered?: string;
  /** Only those who have not answered this poll (a poll id). */
  notVoted?: string;
  segment?: string;
  after?: Cursor;
}

export const PARTICIPANTS_PER_PAGE = 100;
/** The CSV carries every participant, up to this many. */
export const CSV_PARTICIPANTS = 5_000;
const PROMPTS_SHOWN = 100;

/** The research prompts participants can see now, in the order they were asked. */
function visiblePrompts(db: Db, communityId: string, at: number) {
  return db
    .selectFrom("threads")
    .select(["id", "title", "visible_from"])
    .where("community_id", "=", communityId)
    .where("kind", "=", "prompt")
    .where("removed", "is", null)
    .where("visible_from", "<=", at)
    .orderBy("visible_from", "asc")
    .orderBy("id", "asc")
    .limit(PROMPTS_SHOWN);
}

/** The community's participants (the people the study asks), optionally of one segment. */
function participants(db: Db, communityId: string, segment: string | undefined) {
  return db
    .selectFrom("memberships")
    .where("memberships.community_id", "=", communityId)
    .where("memberships.role", "=", "participant")
    .$if(segment !== undefined, (q) => q.where(sql<boolean>`memberships.attributes like ${segmentPattern(segment!)} escape '\\'`));
}

/**
 * The completion table: one page of participants (by key) × the visible prompts, the totals
 * per prompt over everyone the filters keep, and today's nudges. A fixed number of queries.
 */
export async function completionTable(db: Db, actor: Actor, slug: string, filters: CompletionFilters = {}, pageSize = PARTICIPANTS_PER_PAGE) {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "completion.view", view);
  const { community } = view;
  const at = now();
  const today = dayInZone(at, community.time_zone);
  const [prompts, people, totalRow] = await Promise.all([
    visiblePrompts(db, community.id, at).execute(),
    participants(db, community.id, filters.segment)
      .innerJoin("users", "users.id", "memberships.user_id")
      .select(["users.id", "users.display_name", "memberships.joined_at", "memberships.attributes"])
      .$if(filters.notAnswered !== undefined, (q) =>
        q.where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("replies")
                .select("replies.id")
                .where("replies.thread_id", "=", filters.notAnswered!)
                .whereRef("replies.author_id", "=", "memberships.user_id")
                .where("replies.removed", "is", null)
                .where("replies.follow_up_id", "is", null),
            ),
          ),
        ),
      )
      .$if(filters.notVoted !== undefined, (q) =>
        q.where((eb) =>
          eb.not(
            eb.exists(
              eb.selectFrom("poll_answers").select("poll_answers.poll_id").where("poll_answers.poll_id", "=", filters.notVoted!).whereRef("poll_answers.user_id", "=", "memberships.user_id"),
            ),
          ),
        ),
      )
      .$if(filters.after !== undefined, (q) => q.where(pastCursor("memberships.joined_at", "memberships.user_id", filters.after!, ">")))
      .orderBy("memberships.joined_at", "asc")
      .orderBy("memberships.user_id", "asc")
      .limit(pageSize + 1)
      .execute(),
    participants(db, community.id, filters.segment)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
  ]);
  const promptIds = prompts.map((p) => p.id);
  const page = people.slice(0, pageSize);
  const userIds = page.map((p) => p.id);
  const none = [""];
  const [answers, openFollowUps, totals, nudged, voted] = await Promise.all([
    db
      .selectFrom("replies")
      .select(["thread_id", "author_id"])
      .distinct()
      .where("thread_id", "in", promptIds.length ? promptIds : none)
      .where("author_id", "in", userIds.length ? userIds : none)
      .where("removed", "is", null)
      .where("follow_up_id", "is", null)
      .execute(),
    db
      .selectFrom("follow_ups")
      .select(["thread_id", "participant_id"])
      .distinct()
      .where("thread_id", "in", promptIds.length ? promptIds : none)
      .where("participant_id", "in", userIds.length ? userIds : none)
      .where("answered_at", "is", null)
      .execute(),
    db
      .selectFrom("replies")
      .innerJoin(
        participants(db, community.id, filters.segment).select("memberships.user_id").as("p"),
        "p.user_id",
        "replies.author_id",
      )
      .select(["replies.thread_id", (eb) => eb.fn.count<number>("replies.author_id").distinct().as("n")])
      .where("replies.thread_id", "in", promptIds.length ? promptIds : none)
      .where("replies.removed", "is", null)
      .where("replies.follow_up_id", "is", null)
      .groupBy("replies.thread_id")
      .execute(),
    db
      .selectFrom("nudges")
      .select(["thread_id", (eb) => eb.fn.countAll<number>().as("n")])
      .where("community_id", "=", community.id)
      .where("day", "=", today)
      .groupBy("thread_id")
      .execute(),
    pollsAnsweredByMember(db, community.id, userIds),
  ]);
  const answered = new Set(answers.map((a) => `${a.thread_id}:${a.author_id}`));
  const waiting = new Set(openFollowUps.map((f) => `${f.thread_id}:${f.participant_id}`));
  const participantCount = Number(totalRow.n);
  const last = page.at(-1);
  return {
    view,
    canNudge: can(actor, "completion.nudge", view),
    participantCount,
    polls: voted.polls.map((p, index) => ({ id: p.id, number: index + 1, question: p.question })),
    prompts: prompts.map((p, index) => {
      const done = Number(totals.find((t) => t.thread_id === p.id)?.n ?? 0);
      return { id: p.id, number: index + 1, title: p.title, answered: done, notAnswered: participantCount - done, nudgedToday: Number(nudged.find((n) => n.thread_id === p.id)?.n ?? 0) };
    }),
    rows: page.map((person) => {
      const cells: CellState[] = prompts.map((p) => cellState(answered.has(`${p.id}:${person.id}`), waiting.has(`${p.id}:${person.id}`)));
      const answeredCount = cells.filter((c) => c !== "not-yet").length;
      return {
        id: person.id,
        name: person.display_name,
        segment: segmentOf(person.attributes),
        cells,
        answeredCount,
        /** One value per SUMMARY_COLUMNS entry, by key: the page and the CSV show them after the prompts. */
        summary: {
          answered: `${answeredCount} of ${prompts.length}`,
          polls: `${voted.answered.get(person.id)?.size ?? 0} of ${voted.polls.length}`,
        } satisfies Record<SummaryKey, string | number>,
      };
    }),
    next: people.length > pageSize && last ? { at: last.joined_at, id: last.id } : null,
  };
}

/** The table as CSV rows: a participant per row with each prompt's state, then the totals per prompt. */
export function completionCsvRows(table: CompletionTable): (string | number)[][] {
  const promptHeaders = table.prompts.map((p) => `Prompt ${p.number}: ${p.title}`);
  return [
    ["Participant", "Segment", ...promptHeaders, ...SUMMARY_COLUMNS.map((c) => c.label)],
    ...table.rows.map((row) => [row.name, row.segment ?? "", ...row.cells.map((c) => CELL_LABEL[c]), ...SUMMARY_COLUMNS.map((c) => row.summary[c.key])]),
    ["Answered (of " + table.participantCount + ")", "", ...table.prompts.map((p) => p.answered), ...SUMMARY_COLUMNS.map(() => "")],
  ];
}

export type CompletionTable = Awaited<ReturnType<typeof completionTable>>;

/** A participant's own progress: "2 of 5 prompts answered"; null for anyone the policy does not count as a participant there. */
export async function myProgress(db: Db, actor: Actor, view: CommunityView): Promise<{ answered: number; prompts: number } | null> {
  if (!can(actor, "completion.own", view)) return null;
  const at = now();
  const prompts = visiblePrompts(db, view.community.id, at).clearSelect().clearOrderBy().select("id");
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom(prompts.as("p")).select((c) => c.fn.countAll<number>().as("n")).as("prompts"),
      eb
        .selectFrom("replies")
        .select((c) => c.fn.count<number>("replies.thread_id").distinct().as("n"))
        .where("replies.author_id", "=", actor.id)
        .where("replies.removed", "is", null)
        .where("replies.follow_up_id", "is", null)
        .where("replies.thread_id", "in", prompts)
        .as("answered"),
    ])
    .executeTakeFirstOrThrow();
  return { prompts: Number(row.prompts ?? 0), answered: Number(row.answered ?? 0) };
}

/**
 * Nudge every participant who has not answered a prompt: one notification (and email, by
 * their settings) each, at most once per prompt, member and day in the community's zone.
 * The nudges table's key decides who is new today, so two runs at once send once. Recorded
 * in the audit log.
 */
export async function nudgeNonAnswerers(db: Db, actor: Actor, slug: string, threadId: string): Promise<{ sent: number; alreadyToday: number }> {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "completion.nudge", view);
  const { community } = view;
  const at = now();
  const prompt = await visiblePrompts(db, community.id, at).where("id", "=", threadId).executeTakeFirst();
  if (!prompt) throw new Refusal(404, "We could not find that prompt.");
  const day = dayInZone(at, community.time_zone);
  const notAnswered = (q: ReturnType<typeof participants>) =>
    q.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("replies")
            .select("replies.id")
            .where("replies.thread_id", "=", prompt.id)
            .whereRef("replies.author_id", "=", "memberships.user_id")
            .where("replies.removed", "is", null)
            .where("replies.follow_up_id", "is", null),
        ),
      ),
    );
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("nudges")
      .columns(["thread_id", "user_id", "day", "community_id", "sent_by", "sent_at"])
      .expression(
        notAnswered(participants(trx, community.id, undefined)).select((eb) => [
          eb.val(prompt.id).as("thread_id"),
          "memberships.user_id",
          eb.val(day).as("day"),
          eb.val(community.id).as("community_id"),
          eb.val(actor.id).as("sent_by"),
          eb.val(at).as("sent_at"),
        ]),
      )
      .onConflict((conflict) => conflict.columns(["thread_id", "user_id", "day"]).doNothing())
      .returning("user_id")
      .execute();
    const total = await notAnswered(participants(trx, community.id, undefined))
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    await notifyEach(
      trx,
      inserted.map(({ user_id }) => ({
        userId: user_id,
        input: {
          kind: "prompt.nudge" as const,
          title: named`A reminder from ${community.name}: "${prompt.title}" is waiting for your answer`,
          link: threadLink(community.slug, prompt.id),
        },
      })),
    );
    await recordAudit(trx, actor.id, {
      action: "completion.nudge",
      summary: named`Nudged ${count(inserted.length, "member")} to answer "${prompt.title}" in ${community.name}`,
      undo: null,
    });
    return { sent: inserted.length, alreadyToday: Number(total.n) - inserted.length };
  });
}
