import type { PostKind } from "#db/schema.ts";

/** Links to threads and posts, with no I/O: used by notifications, search, profiles, the board and the moderation queue. */
export const threadLink = (slug: string, threadId: string) => `/c/${slug}/t/${threadId}`;
/** A link that opens the thread at one reply, however long the thread is. */
export const replyLink = (slug: string, threadId: string, reply: { id: string; created_at: number }) =>
  `${threadLink(slug, threadId)}?from=${reply.created_at}.${reply.id}#reply-${reply.id}`;
/** A link to a post: its thread for an opening post, the thread opened at it for a reply. */
export const postLink = (slug: string, threadId: string, post: { kind: PostKind; id: string; created_at: number | null }) =>
  post.kind === "reply" && post.created_at !== null ? replyLink(slug, threadId, { id: post.id, created_at: post.created_at }) : threadLink(slug, threadId);
