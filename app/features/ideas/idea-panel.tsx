import { Form, Link, useLocation } from "@remix-run/react";
import type { SuggestionStatus } from "#db/schema.ts";
import { Button } from "#app/ui/button.tsx";
import { StatusBadge } from "./status.tsx";
import { VoteBudgetLine } from "./vote-budget.tsx";
import { VoteButton } from "./vote-button.tsx";
import { count } from "#app/lib/plural.ts";

export interface IdeaPanelData {
  votes: number | null;
  voted: boolean;
  canVote: boolean;
  budget: { left: number; budget: number } | null;
  mergedInto: { id: string; title: string } | null;
  suggestion: { status: SuggestionStatus; answer: string | null; answeredOn: string | null } | null;
  mergeTargets: { id: string; title: string }[];
}

/** An idea's page, above its discussion: the vote, what the product team answered, where it was merged, and merging for moderators. */
export function IdeaPanel({ slug, ideaId, title, idea }: { slug: string; ideaId: string; title: string; idea: IdeaPanelData }) {
  const location = useLocation();
  return (
    <section aria-label="Votes and status" className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      {idea.mergedInto ? (
        <p role="status" className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700">
          This idea was merged into <Link to={`/c/${slug}/t/${idea.mergedInto.id}`}>{idea.mergedInto.title}</Link>; its votes moved there. Its discussion stays here to read.
        </p>
      ) : null}
      {idea.mergedInto ? null : (
        <div className="flex flex-wrap items-center gap-4">
          <VoteButton slug={slug} ideaId={ideaId} title={title} voted={idea.voted} votes={idea.votes} canVote={idea.canVote} returnTo={`${location.pathname}${location.search}`} />
          <div className="space-y-1 text-sm text-slate-600">
            {idea.votes !== null ? <p>{count(idea.votes, "vote")}</p> : <p>Vote counts are hidden until the community closes.</p>}
            {idea.budget ? <VoteBudgetLine budget={idea.budget} /> : null}
          </div>
        </div>
      )}
      {idea.suggestion ? (
        <div className="rounded-md border border-slate-200 p-4">
          <p className="flex items-center gap-2 text-sm font-semibold">
            The product team: <StatusBadge status={idea.suggestion.status} />
          </p>
          {idea.suggestion.answer ? (
            <blockquote className="mt-2 whitespace-pre-line text-sm text-slate-800">
              {idea.suggestion.answer}
              {idea.suggestion.answeredOn ? <span className="mt-1 block text-xs text-slate-500">Answered {idea.suggestion.answeredOn}</span> : null}
            </blockquote>
          ) : null}
        </div>
      ) : null}
      {idea.mergeTargets.length ? (
        <Form method="post" className="flex flex-wrap items-end gap-2 border-t border-slate-100 pt-4">
          <input type="hidden" name="intent" value="merge" />
          <div className="space-y-1">
            <label htmlFor="merge-into" className="block text-sm font-medium">
              Merge this duplicate into
            </label>
            <select id="merge-into" name="into" required defaultValue="" className="max-w-xs rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300">
              <option value="" disabled>
                Choose an idea…
              </option>
              {idea.mergeTargets.map((target) => (
                <option key={target.id} value={target.id}>
                  {target.title}
                </option>
              ))}
            </select>
          </div>
          <Button variant="secondary" className="py-1.5">
            Merge
          </Button>
        </Form>
      ) : null}
    </section>
  );
}
