import { Form, Link } from "@remix-run/react";
import type { PostView } from "#app/features/discussions/post-card.tsx";
import { Button, buttonClass } from "#app/ui/button.tsx";

/** A private follow-up as the thread page shows it to those who may read it. */
export interface FollowUpView {
  id: string;
  participant: string;
  asker: string;
  asked: string;
  questionHtml: string;
  answer: { id: string; bodyHtml: string | null } | null;
  needsYourReply: boolean;
}

export function FollowUpBox({ followUp }: { followUp: FollowUpView }) {
  return (
    <section id={`follow-up-${followUp.id}`} aria-label={`Private follow-up for ${followUp.participant}`} className="scroll-mt-6 rounded-lg bg-violet-50 p-4 text-sm ring-1 ring-violet-200">
      <p className="flex flex-wrap items-center gap-2 text-slate-600">
        <span className="rounded bg-violet-200 px-1.5 py-0.5 text-xs font-semibold text-violet-900">Private follow-up</span>
        {followUp.asker} asked {followUp.participant} · {followUp.asked}
        {followUp.needsYourReply ? <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900">Needs your reply</span> : null}
      </p>
      <div className="prose-cohort mt-2" dangerouslySetInnerHTML={{ __html: followUp.questionHtml }} />
      {followUp.answer ? (
        // The anchor triage and evidence links use for a reply.
        <div id={`reply-${followUp.answer.id}`} className="mt-3 rounded-md bg-white p-3 ring-1 ring-violet-100">
          <p className="text-xs font-medium text-slate-500">{followUp.participant} answered</p>
          {followUp.answer.bodyHtml ? <div className="prose-cohort mt-1" dangerouslySetInnerHTML={{ __html: followUp.answer.bodyHtml }} /> : <p className="mt-1 italic text-slate-500">Removed.</p>}
        </div>
      ) : followUp.needsYourReply ? (
        <Link to={`/follow-ups/${followUp.id}`} className={buttonClass("primary", "mt-3 inline-block no-underline")}>
          Answer privately
        </Link>
      ) : (
        <p className="mt-2 text-slate-600">
          Waiting for the answer. <Link to={`/follow-ups/${followUp.id}`}>Open</Link>
        </p>
      )}
    </section>
  );
}

/** The moderator's or leader's question about one post: sent privately to its author. */
export function AskFollowUpForm({ post }: { post: Pick<PostView, "kind" | "id" | "author"> }) {
  const id = `ask-${post.kind}-${post.id}`;
  return (
    <Form method="post" id={id} className="space-y-2 rounded-lg bg-white p-4 ring-1 ring-violet-200">
      <input type="hidden" name="intent" value="ask" />
      <input type="hidden" name="kind" value={post.kind} />
      <input type="hidden" name="id" value={post.id} />
      <label htmlFor={`${id}-question`} className="block text-sm font-medium">
        Your private question for {post.author}
      </label>
      <textarea
        id={`${id}-question`}
        name="question"
        required
        minLength={3}
        maxLength={5000}
        rows={3}
        aria-describedby={`${id}-hint`}
        className="block w-full rounded-md border-0 px-3 py-2 ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-600"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        Only {post.author}, the staff and the community's leaders will read it. {post.author} is notified and asked to reply.
      </p>
      <div className="flex gap-2">
        <Button>Send privately</Button>
        <Link to="." className={buttonClass("ghost")}>
          Cancel
        </Link>
      </div>
    </Form>
  );
}
