/**
 * Serving a post's image, under the rules of its post (docs/decisions/019): discussions
 * decide who may read a post, so they decide who may read its images; attachments store
 * and process the files and know nothing of threads.
 */
import type { Kysely } from "kysely";
import type { Database, PostKind } from "#db/schema.ts";
import { can, type Actor } from "#app/features/auth/policy.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { THUMB_TYPE, keyOf, type Variant } from "#app/features/attachments/attachments.server.ts";
import { storage, type StoredFile } from "#app/features/attachments/storage.server.ts";
import { now } from "#app/lib/clock.ts";
import { Refusal } from "#app/lib/refusal.ts";
import { maskedRepliesVisible, threadVisible } from "./visibility.ts";

type Db = Kysely<Database>;

const NOT_FOUND = "We could not find that image.";

/**
 * An image file for this reader, under the rules of its post: its uploader always (it is
 * theirs); otherwise only a reader of the community who may see the post now. A pending
 * image, another community's, a scheduled prompt's before it appears, a masked prompt's
 * answer before the reader answered, a removed or hidden post's (except for moderators):
 * all answer 404, exactly like an id that never existed.
 */
export async function openImage(db: Db, actor: Actor | null, id: string, variant: Variant): Promise<{ file: StoredFile; contentType: string }> {
  const row = await db
    .selectFrom("attachments")
    .innerJoin("communities", "communities.id", "attachments.community_id")
    .leftJoin("threads", "threads.id", "attachments.thread_id")
    .leftJoin("replies", (join) => join.onRef("replies.id", "=", "attachments.post_id").on("attachments.post_kind", "=", "reply"))
    .select([
      "attachments.owner_id",
      "attachments.post_kind",
      "attachments.post_id",
      "attachments.content_type",
      "communities.slug",
      "threads.id as thread_id",
      "threads.visible_from",
      "threads.masked",
      "threads.removed as thread_removed",
      "replies.removed as reply_removed",
    ])
    .where("attachments.id", "=", id)
    .executeTakeFirst();
  if (!row || !actor) throw new Refusal(404, NOT_FOUND);
  if (row.owner_id !== actor.id && !(await readerMaySee(db, actor, row))) throw new Refusal(404, NOT_FOUND);
  const file = await storage().get(keyOf(id, variant));
  if (!file) throw new Refusal(404, NOT_FOUND);
  return { file, contentType: variant === "thumb" ? THUMB_TYPE : row.content_type };
}

async function readerMaySee(
  db: Db,
  actor: Actor,
  row: { post_kind: PostKind | null; post_id: string | null; slug: string; thread_id: string | null; visible_from: number | null; masked: 0 | 1 | null; thread_removed: string | null; reply_removed: string | null },
): Promise<boolean> {
  if (row.post_id === null || row.thread_id === null || row.visible_from === null || row.masked === null) return false;
  const view = await getCommunityForActor(db, actor, row.slug).catch((error: unknown) => {
    if (error instanceof Refusal) return null;
    throw error;
  });
  if (!view) return false;
  const seeAll = can(actor, "discussion.see-all", view);
  if (!threadVisible({ visible_from: row.visible_from }, seeAll, now())) return false;
  const removed = row.post_kind === "reply" ? row.reply_removed : row.thread_removed;
  if (removed && !can(actor, "discussion.moderate", view)) return false;
  if (row.post_kind === "reply" && !seeAll && row.masked === 1) {
    const answered = await db
      .selectFrom("replies")
      .select("id")
      .where("author_id", "=", actor.id)
      .where("thread_id", "=", row.thread_id)
      .where("removed", "is", null)
      .limit(1)
      .executeTakeFirst();
    if (!maskedRepliesVisible({ masked: 1 }, seeAll, answered !== undefined)) return false;
  }
  return true;
}
