import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { ShownPost } from "./reading.server.ts";
import { Button, buttonClass } from "#app/ui/button.tsx";
import { FLAG_REASONS } from "./flag-reasons.ts";
import { removalNotice } from "./removal.ts";
import { count } from "#app/lib/plural.ts";
import { PersonLink } from "#app/ui/person-link.tsx";
import { PlainLink } from "#app/ui/plain-link.tsx";
import { ImageFields, PostImages } from "#app/features/attachments/images.tsx";
import { MentionSuggest } from "#app/features/mentions/mention-suggest.tsx";

/** A post as the thread page shows it: dates already formatted, text already decided by the server. */
export type PostView = Omit<ShownPost, "createdAt" | "editedAt"> & { when: string; edited: string | null };

export const postParam = (post: Pick<PostView, "kind" | "id">) => `${post.kind}:${post.id}`;
export const postAnchor = (post: Pick<PostView, "kind" | "id">) => (post.kind === "thread" ? "opening-post" : `reply-${post.id}`);


const fieldClass = "block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600";

/** Hidden inputs naming the post a form acts on. */
export function PostFields({ post, intent }: { post: Pick<PostView, "kind" | "id">; intent: string }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="kind" value={post.kind} />
      <input type="hidden" name="id" value={post.id} />
    </>
  );
}

/**
 * One post with what this reader may do to it. Edit and flag open in place through a link
 * (?edit=, ?flag=), so they work without JavaScript; quoting fills the reply form.
 */
export function PostCard({
  post,
  heading,
  mode,
  source,
  canQuote,
  canModerate,
  onQuote,
  slug,
}: {
  post: PostView;
  /** The community, for the edit form's image uploads and mentions. */
  slug: string;
  heading?: ReactNode;
  /** The post is being edited or flagged by this reader. */
  mode: "read" | "edit" | "flag";
  /** The post's Markdown (and title), when editing. */
  source?: { markdown: string; title?: string };
  canQuote: boolean;
  canModerate: boolean;
  onQuote?: (event: React.MouseEvent<HTMLAnchorElement>, post: PostView) => void;
}) {
  const hiddenByModerator = post.removed === "moderator";
  return (
    <div
      id={postAnchor(post)}
      data-post={postParam(post)}
      className={`scroll-mt-6 rounded-lg bg-white p-5 shadow-sm ring-1 ${hiddenByModerator && post.bodyHtml ? "ring-red-200" : "ring-slate-200"}`}
    >
      {heading}
      <p className="text-sm text-slate-500">
        <PersonLink id={post.authorId} name={post.author} className="font-medium text-slate-800" /> · {post.when}
        {post.edited ? <span title={`Edited ${post.edited}`}> · edited</span> : null}
        {post.unread ? <span className="ml-2 rounded bg-brand-100 px-1.5 py-0.5 text-xs font-semibold text-brand-700">New</span> : null}
        {canModerate && post.openFlags ? (
          <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-800">
            Flagged {count(post.openFlags, "time")}
          </span>
        ) : null}
      </p>
      {post.removed ? (
        <p className="mt-2 text-sm italic text-slate-500" data-removed={post.removed}>
          {removalNotice(post.removed)}.
          {post.bodyHtml ? " Only moderators see the text below." : ""}
        </p>
      ) : null}
      {mode === "edit" && source ? (
        <EditForm post={post} source={source} slug={slug} />
      ) : post.bodyHtml ? (
        <>
          {/* Rendered from Markdown with raw HTML disabled when it was written. */}
          <div className={`prose-cohort mt-2 ${post.removed ? "border-l-2 border-dashed border-slate-300 pl-3 text-slate-600" : ""}`} data-post-body dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
          <PostImages images={post.images} author={post.author} />
        </>
      ) : null}
      {mode === "flag" ? <FlagForm post={post} /> : null}
      {post.flaggedByReader ? (
        <p role="status" className="mt-3 rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          You flagged this post. Thank you: the moderators will look at it, and you will hear what they decide.
        </p>
      ) : null}
      {mode === "read" ? <PostActions post={post} canQuote={canQuote} canModerate={canModerate} onQuote={onQuote} /> : null}
    </div>
  );
}

function PostActions({ post, canQuote, canModerate, onQuote }: { post: PostView; canQuote: boolean; canModerate: boolean; onQuote?: (event: React.MouseEvent<HTMLAnchorElement>, post: PostView) => void }) {
  const quote = canQuote && !post.removed;
  if (!quote && !post.canChange && !post.canFlag && !canModerate) return null;
  const linkClass = "rounded px-2 py-1 text-sm font-medium text-slate-600 no-underline hover:bg-slate-100 hover:no-underline";
  return (
    <div className="mt-3 flex flex-wrap items-center gap-1 border-t border-slate-100 pt-2">
      {quote ? (
        <PlainLink href={`?quote=${postParam(post)}#reply-form`} preventScrollReset className={linkClass} onClick={(event) => onQuote?.(event, post)} title="Quote the selected passage, or the whole post">
          Quote
        </PlainLink>
      ) : null}
      {post.canChange ? (
        <>
          <PlainLink href={`?edit=${postParam(post)}#${postAnchor(post)}`} className={linkClass}>
            Edit
          </PlainLink>
          <Form method="post" replace>
            <PostFields post={post} intent="remove" />
            <button type="submit" className={linkClass}>
              Remove
            </button>
          </Form>
        </>
      ) : null}
      {post.canFlag ? (
        <PlainLink href={`?flag=${postParam(post)}#${postAnchor(post)}`} className={linkClass}>
          Flag
        </PlainLink>
      ) : null}
      {canModerate ? <ModerationButtons post={post} /> : null}
    </div>
  );
}

/** Hide, restore, or keep a flagged post: the moderator's buttons, on the thread page and in the queue (which names the thread). */
export function ModerationButtons({ post, thread }: { post: Pick<PostView, "kind" | "id" | "removed" | "openFlags">; thread?: { slug: string; id: string } }) {
  const threadFields = thread ? (
    <>
      <input type="hidden" name="slug" value={thread.slug} />
      <input type="hidden" name="threadId" value={thread.id} />
    </>
  ) : null;
  return (
    <div className="ml-auto flex gap-2">
      {post.removed === null ? (
        <Form method="post" replace>
          {threadFields}
          <PostFields post={post} intent="hide" />
          <Button variant={post.openFlags ? "danger" : "ghost"} className="px-3 py-1">
            Hide
          </Button>
        </Form>
      ) : null}
      {post.removed === "moderator" ? (
        <Form method="post" replace>
          {threadFields}
          <PostFields post={post} intent="restore" />
          <Button variant="secondary" className="px-3 py-1">
            Restore
          </Button>
        </Form>
      ) : null}
      {post.openFlags && post.removed === null ? (
        <Form method="post" replace>
          {threadFields}
          <PostFields post={post} intent="keep" />
          <Button variant="secondary" className="px-3 py-1">
            Keep visible
          </Button>
        </Form>
      ) : null}
    </div>
  );
}

function EditForm({ post, source, slug }: { post: PostView; source: { markdown: string; title?: string }; slug: string }) {
  const id = postAnchor(post);
  return (
    <Form method="post" encType="multipart/form-data" className="mt-3 space-y-3">
      <PostFields post={post} intent="edit" />
      {post.kind === "thread" ? (
        <div className="space-y-1">
          <label htmlFor={`${id}-title`} className="block text-sm font-medium">Title</label>
          <input id={`${id}-title`} name="title" defaultValue={source.title} required minLength={3} maxLength={200} className={fieldClass} />
        </div>
      ) : null}
      <div className="space-y-1">
        <label htmlFor={`${id}-body`} className="block text-sm font-medium">Your post</label>
        <textarea id={`${id}-body`} name="body" defaultValue={source.markdown} required rows={6} maxLength={20000} className={fieldClass} />
        <MentionSuggest slug={slug} textareaId={`${id}-body`} />
      </div>
      <ImageFields slug={slug} idPrefix={id} existing={post.images} />
      <div className="flex gap-2">
        <Button>Save changes</Button>
        <Link to={`.#${id}`} className={buttonClass("ghost")}>
          Cancel
        </Link>
      </div>
    </Form>
  );
}

function FlagForm({ post }: { post: PostView }) {
  const id = postAnchor(post);
  return (
    <Form method="post" className="mt-3 space-y-3 rounded-md bg-amber-50 p-4 ring-1 ring-amber-200">
      <PostFields post={post} intent="flag" />
      <fieldset className="space-y-1">
        <legend className="text-sm font-semibold">Why should a moderator look at this post?</legend>
        {Object.entries(FLAG_REASONS).map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input type="radio" name="reason" value={value} required />
            {label}
          </label>
        ))}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor={`${id}-note`} className="block text-sm font-medium">Anything the moderators should know (optional)</label>
        <textarea id={`${id}-note`} name="note" rows={2} maxLength={500} className={fieldClass} />
      </div>
      <p className="text-xs text-slate-600">Only moderators see flags. The author is not told who flagged the post.</p>
      <div className="flex gap-2">
        <Button>Send to moderators</Button>
        <Link to={`.#${id}`} className={buttonClass("ghost")}>
          Cancel
        </Link>
      </div>
    </Form>
  );
}
