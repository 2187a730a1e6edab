import { sql, type Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import type { Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { markdownExcerpt, renderMarkdown } from "#app/lib/markdown.server.ts";
import { evidenceImage } from "./evidence.ts";

type Db = Kysely<Database>;

/** What a community's feedback fed, for its readout at close: suggestions, statuses, answers, and this member's part. */
export async function readout(db: Db, actor: Actor, slug: string) {
  // Former members are let in too: they were promised what became of their feedback.
  const view = await getCommunityForActor(db, actor, slug, "community.readout");
  const communityId = view.community.id;
  const fed = await db
    .selectFrom("suggestions")
    .select(["suggestions.id", "suggestions.title", "suggestions.status", "suggestions.public_answer", "suggestions.alternative", "suggestions.answered_at"])
    .where((eb) =>
      eb.or([
        eb("suggestions.id", "in", eb.selectFrom("highlights").select("suggestion_id").where("community_id", "=", communityId)),
        eb("suggestions.id", "in", eb.selectFrom("ideas").select("suggestion_id").where("community_id", "=", communityId)),
      ]),
    )
    .orderBy("suggestions.updated_at", "desc")
    .limit(200)
    .execute();
  const ids = fed.map((s) => s.id);
  const [mine, counts] = await Promise.all([
    ids.length
      ? db
          .selectFrom("highlights")
          .select(["suggestion_id", "quote"])
          .where("community_id", "=", communityId)
          .where("post_author_id", "=", actor.id)
          .where("suggestion_id", "in", ids)
          .union(
            db
              .selectFrom("votes")
              .innerJoin("ideas", "ideas.thread_id", "votes.idea_id")
              .innerJoin("threads", "threads.id", "ideas.thread_id")
              .select(["ideas.suggestion_id", sql<string>`${"Your vote for: "} || threads.title`.as("quote")])
              .where("votes.user_id", "=", actor.id)
              .where("ideas.community_id", "=", communityId)
              .where("ideas.suggestion_id", "in", ids),
          )
          .execute()
      : Promise.resolve([]),
    ids.length
      ? db.selectFrom("highlights").select(["suggestion_id", (eb) => eb.fn.countAll<number>().as("n")]).where("community_id", "=", communityId).where("suggestion_id", "in", ids).groupBy("suggestion_id").execute()
      : Promise.resolve([]),
  ]);
  // The reader's own images kept as evidence: theirs to see, whatever became of the community.
  const myImages = ids.length
    ? await db
        .selectFrom("highlights")
        .innerJoin("attachments", "attachments.id", "highlights.attachment_id")
        .select(["highlights.suggestion_id", "attachments.id as image_id", "attachments.alt as image_alt", "attachments.width as image_width", "attachments.height as image_height", "attachments.thumb_width as image_thumb_width", "attachments.thumb_height as image_thumb_height"])
        .where("highlights.community_id", "=", communityId)
        .where("attachments.owner_id", "=", actor.id)
        .where("highlights.suggestion_id", "in", ids)
        .execute()
    : [];
  const [members, posts] = await Promise.all([
    db.selectFrom("memberships").select((eb) => eb.fn.countAll<number>().as("n")).where("community_id", "=", communityId).executeTakeFirstOrThrow(),
    db.selectFrom("threads").select((eb) => [eb.fn.countAll<number>().as("threads"), eb.fn.sum<number>("reply_count").as("replies")]).where("community_id", "=", communityId).executeTakeFirstOrThrow(),
  ]);
  return {
    view,
    totals: { members: Number(members.n), threads: Number(posts.threads), replies: Number(posts.replies ?? 0), suggestions: fed.length },
    suggestions: fed.map((s) => ({
      ...s,
      answerHtml: s.public_answer ? renderMarkdown(s.public_answer) : null,
      quotesHere: Number(counts.find((c) => c.suggestion_id === s.id)?.n ?? 0),
      yours: mine.filter((m) => m.suggestion_id === s.id).map((m) => markdownExcerpt(m.quote, 300)),
      yourImages: myImages.filter((m) => m.suggestion_id === s.id).flatMap((m) => evidenceImage(m) ?? []),
    })),
  };
}
