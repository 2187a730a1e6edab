import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { count } from "#app/lib/plural.ts";
import type { VoteResult } from "./ideas.server.ts";

/** What the ideas action answers a vote made with JavaScript. */
export type VoteAnswer = VoteResult | { error: string };

/**
 * Vote or take a vote back. With JavaScript the button changes at once (optimistically) and
 * settles on the server's answer, reverting with the reason if the vote was refused; without
 * it, the same form posts and the page comes back.
 */
export function VoteButton({
  slug,
  ideaId,
  title,
  voted,
  votes,
  canVote,
  returnTo,
}: {
  slug: string;
  ideaId: string;
  title: string;
  voted: boolean;
  votes: number | null;
  canVote: boolean;
  returnTo: string;
}) {
  const fetcher = useFetcher<VoteAnswer>();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const wanted = fetcher.state !== "idle" && fetcher.formData ? fetcher.formData.get("intent") === "vote" : voted;
  const shown = votes === null ? null : votes + (wanted === voted ? 0 : wanted ? 1 : -1);
  const error = fetcher.state === "idle" && fetcher.data && "error" in fetcher.data ? fetcher.data.error : null;
  // The name holds what the button shows (the count, or "Vote"/"Voted"), so a speech user can say it
  // (WCAG 2.5.3); not in parentheses, which axe and speech software treat as an aside.
  const label =
    shown !== null
      ? `${wanted ? "Take back your vote for" : "Vote for"} ${title}, ${count(shown, "vote")}`
      : wanted
        ? `Voted for ${title}: take back your vote`
        : `Vote for ${title}`;
  return (
    <div className="flex flex-col items-center gap-1">
      <fetcher.Form method="post" action={`/c/${slug}/ideas`} preventScrollReset>
        <input type="hidden" name="intent" value={wanted ? "unvote" : "vote"} />
        <input type="hidden" name="ideaId" value={ideaId} />
        <input type="hidden" name="returnTo" value={returnTo} />
        {/* Only once hydrated: the action answers data to JavaScript and a redirect to plain forms. */}
        {hydrated ? <input type="hidden" name="via" value="js" /> : null}
        <button
          type="submit"
          disabled={!canVote}
          aria-pressed={wanted}
          aria-label={label}
          title={canVote ? label : undefined}
          className={`flex w-16 flex-col items-center rounded-lg px-2 py-1.5 text-sm font-semibold ring-1 ring-inset transition disabled:cursor-not-allowed disabled:opacity-60 ${
            wanted ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"
          }`}
        >
          {/* Drawn, not a character, so the button's visible text is only its count. */}
          <svg aria-hidden="true" viewBox="0 0 12 12" className="h-3 w-3 fill-current">
            <path d="M6 2l5 8H1z" />
          </svg>
          <span data-votes>{shown === null ? (wanted ? "Voted" : "Vote") : shown}</span>
        </button>
      </fetcher.Form>
      {error ? (
        <p role="alert" className="w-40 text-center text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
