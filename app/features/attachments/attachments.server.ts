/**
 * Image attachments on posts (thread openers, replies and prompt answers, ideas): stored as
 * processed files in the storage module, described by a row, and served under the same rules
 * as the post they belong to (docs/decisions/019; discussions/post-images.server.ts).
 *
 * An image is first stored "pending" (no post yet; only its uploader sees it), either ahead
 * of the form with JavaScript or from the form itself without; the post's use case then
 * attaches it inside its own transaction. Pending images nobody attached go after a day.
 */
import type { Kysely } from "kysely";
import type { Database, PostKind } from "#db/schema.ts";
import { assertAllowed, can, type Actor } from "#app/features/auth/policy.ts";
import { reserveAttempt } from "#app/features/auth/rate-limit.server.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { DAY, HOUR, now } from "#app/lib/clock.ts";
import { newId } from "#app/lib/ids.ts";
import { Refusal, describeWait } from "#app/lib/refusal.ts";
import { MAX_ALT_LENGTH, MAX_IMAGES_PER_POST } from "./limits.ts";
import { processImage } from "./processor.server.ts";
import { storage } from "./storage.server.ts";

type Db = Kysely<Database>;

export type Variant = "full" | "thumb";
export const THUMB_TYPE = "image/webp";
export const keyOf = (id: string, variant: Variant) => `${id}.${variant}`;
export const attachmentUrl = (id: string, variant: Variant) => `/attachments/${id}/${variant}`;

/** An image as a page shows it. */
export interface ShownImage {
  id: string;
  alt: string;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
}

/** An image a form names for its post: one uploaded ahead, or just stored from the form, with its alt text. */
export interface ImageChoice {
  id: string;
  alt: string;
}

/** How many images a member may upload in an hour: generous for real posts, a wall for scripts. */
const UPLOADS_PER_HOUR = 60;

/**
 * Process and store one image for a post in this community, pending until a post takes it.
 * Only those who may write there may upload; the processing happens before any write.
 */
export async function storeImage(db: Db, actor: Actor, slug: string, bytes: Uint8Array): Promise<ShownImage> {
  const view = await getCommunityForActor(db, actor, slug);
  assertAllowed(actor, "community.participate", view);
  const state = await reserveAttempt(db, [{ bucket: `upload:hour:${actor.id}`, max: UPLOADS_PER_HOUR, windowMs: HOUR }]);
  if (state.blocked) {
    throw new Refusal(429, `You are uploading images faster than we allow. Try again in ${describeWait(state.retryAfterMs)}.`, {
      retryAfterSeconds: Math.ceil(state.retryAfterMs / 1000),
    });
  }
  const image = await processImage(bytes);
  const id = newId();
  await storage().put(keyOf(id, "full"), image.full, image.contentType);
  await storage().put(keyOf(id, "thumb"), image.thumb, THUMB_TYPE);
  await db
    .insertInto("attachments")
    .values({
      id,
      community_id: view.community.id,
      owner_id: actor.id,
      post_kind: null,
      post_id: null,
      thread_id: null,
      position: 0,
      alt: "",
      content_type: image.contentType,
      width: image.width,
      height: image.height,
      thumb_width: image.thumbWidth,
      thumb_height: image.thumbHeight,
      bytes: image.full.length,
      created_at: now(),
      attached_at: null,
    })
    .execute();
  await dropStalePending(db, actor.id);
  return { id, alt: "", width: image.width, height: image.height, thumbWidth: image.thumbWidth, thumbHeight: image.thumbHeight };
}

/** Pending images of this member older than a day: uploaded, never posted. */
async function dropStalePending(db: Db, ownerId: string): Promise<void> {
  const stale = await db
    .selectFrom("attachments")
    .select("id")
    .where("owner_id", "=", ownerId)
    .where("post_id", "is", null)
    .where("created_at", "<", now() - DAY)
    .execute();
  await deleteAttachments(db, stale.map((s) => s.id));
}

/** Rows first, then files: a file without a row is unreachable, a row without a file would be a broken image. */
async function deleteAttachments(db: Db, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db.updateTable("highlights").set({ attachment_id: null }).where("attachment_id", "in", ids).execute();
  await db.deleteFrom("attachments").where("id", "in", ids).execute();
  await storage().delete(ids.flatMap((id) => [keyOf(id, "full"), keyOf(id, "thumb")]));
}

/**
 * Attach the chosen images to a post, inside the post's transaction: each must be this
 * member's, of this community, and not yet on a post; at most MAX_IMAGES_PER_POST per post.
 * Images already on the post keep their place; their alt text may change.
 */
export async function attachImages(trx: Db, actor: Actor, post: { communityId: string; kind: PostKind; id: string; threadId: string }, choices: ImageChoice[]): Promise<void> {
  if (!choices.length) return;
  const ids = [...new Set(choices.map((c) => c.id))];
  const rows = await trx.selectFrom("attachments").select(["id", "owner_id", "community_id", "post_id"]).where("id", "in", ids).execute();
  const current = await trx.selectFrom("attachments").select("id").where("post_kind", "=", post.kind).where("post_id", "=", post.id).execute();
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    const mine = row && row.owner_id === actor.id && row.community_id === post.communityId && (row.post_id === null || row.post_id === post.id);
    if (!mine) throw new Refusal(400, "One of the images is no longer there; attach it again.");
  }
  const total = new Set([...current.map((c) => c.id), ...ids]).size;
  if (total > MAX_IMAGES_PER_POST) throw new Refusal(422, `A post can carry at most ${MAX_IMAGES_PER_POST} images.`);
  const at = now();
  let position = current.length;
  for (const choice of choices) {
    const already = current.some((c) => c.id === choice.id);
    await trx
      .updateTable("attachments")
      .set({
        alt: choice.alt.trim().slice(0, MAX_ALT_LENGTH),
        ...(already ? {} : { post_kind: post.kind, post_id: post.id, thread_id: post.threadId, position: position++, attached_at: at }),
      })
      .where("id", "=", choice.id)
      .execute();
  }
}

/** The author takes images off their post (while editing it); the files go too. */
export async function detachImages(trx: Db, actor: Actor, post: { kind: PostKind; id: string }, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await trx
    .selectFrom("attachments")
    .select("id")
    .where("id", "in", ids)
    .where("owner_id", "=", actor.id)
    .where("post_kind", "=", post.kind)
    .where("post_id", "=", post.id)
    .execute();
  const gone = rows.map((r) => r.id);
  if (gone.length) {
    await trx.updateTable("highlights").set({ attachment_id: null }).where("attachment_id", "in", gone).execute();
    await trx.deleteFrom("attachments").where("id", "in", gone).execute();
  }
  return gone;
}

/** Delete the files of attachments whose rows are gone (after the transaction that removed them committed). */
export async function deleteFiles(ids: string[]): Promise<void> {
  if (ids.length) await storage().delete(ids.flatMap((id) => [keyOf(id, "full"), keyOf(id, "thumb")]));
}

/** The images of some posts, in order, keyed "kind:id": one query however many posts. The caller decides which posts the reader may see. */
export async function imagesOf(db: Db, posts: { kind: PostKind; id: string }[]): Promise<Map<string, ShownImage[]>> {
  const byPost = new Map<string, ShownImage[]>();
  if (!posts.length) return byPost;
  const rows = await db
    .selectFrom("attachments")
    .select(["id", "post_kind", "post_id", "alt", "width", "height", "thumb_width", "thumb_height"])
    .where(
      "post_id",
      "in",
      posts.map((p) => p.id),
    )
    .orderBy("position")
    .execute();
  for (const row of rows) {
    if (!posts.some((p) => p.kind === row.post_kind && p.id === row.post_id)) continue;
    const key = `${row.post_kind}:${row.post_id}`;
    byPost.set(key, [...(byPost.get(key) ?? []), shown(row)]);
  }
  return byPost;
}

/** This member's pending images among these ids (a form sent back with an error keeps them). */
export async function pendingImages(db: Db, actor: Actor, ids: string[]): Promise<ShownImage[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom("attachments")
    .select(["id", "alt", "width", "height", "thumb_width", "thumb_height"])
    .where("id", "in", ids)
    .where("owner_id", "=", actor.id)
    .where("post_id", "is", null)
    .execute();
  return rows.map(shown);
}

const shown = (row: { id: string; alt: string; width: number; height: number; thumb_width: number; thumb_height: number }): ShownImage => ({
  id: row.id,
  alt: row.alt,
  width: row.width,
  height: row.height,
  thumbWidth: row.thumb_width,
  thumbHeight: row.thumb_height,
});

/** Everything this member uploaded, for their data export: what it shows and where to download it. */
export async function imagesForExport(db: Db, ownerId: string) {
  const rows = await db
    .selectFrom("attachments")
    .select(["id", "post_kind", "post_id", "alt", "content_type", "width", "height", "bytes", "created_at"])
    .where("owner_id", "=", ownerId)
    .where("post_id", "is not", null)
    .orderBy("created_at")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    post: { kind: r.post_kind, id: r.post_id },
    alt: r.alt,
    type: r.content_type,
    width: r.width,
    height: r.height,
    bytes: r.bytes,
    created_at: new Date(r.created_at).toISOString(),
    download: attachmentUrl(r.id, "full"),
  }));
}

/** Erasure: every image this member uploaded goes, rows inside the erasure's transaction; the files once it has committed. */
export async function eraseImagesOf(trx: Db, ownerId: string): Promise<string[]> {
  const rows = await trx.selectFrom("attachments").select("id").where("owner_id", "=", ownerId).execute();
  const ids = rows.map((r) => r.id);
  if (ids.length) {
    await trx.updateTable("highlights").set({ attachment_id: null }).where("attachment_id", "in", ids).execute();
    await trx.deleteFrom("attachments").where("owner_id", "=", ownerId).execute();
  }
  return ids;
}
