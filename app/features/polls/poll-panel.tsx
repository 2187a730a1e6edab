import { Link, useFetcher } from "@remix-run/react";
import { Button } from "#app/ui/button.tsx";
import { ActionError } from "#app/ui/action-error.tsx";
import { Table } from "#app/ui/table.tsx";
import type { PollView } from "./polls.server.ts";
import type { PollResultsView } from "./tally.ts";

const RESULTS_NOTE = {
  always: "Everyone sees the results.",
  "after-answering": "Results show once you have answered.",
  "after-close": "Results stay hidden from participants until the community closes.",
} as const;

export const pollPath = (slug: string, threadId: string) => `/c/${slug}/t/${threadId}/poll`;

/**
 * A thread's poll: the answer form for members who may answer (radio buttons, checkboxes, or
 * a place per option when ranked; plain form posts, so it works without JavaScript), the
 * results when the reader may see them, and for staff the split by segment.
 */
export function PollPanel({ poll, slug, threadId, error }: { poll: PollView; slug: string; threadId: string; error?: unknown }) {
  const fetcher = useFetcher<{ error?: string }>();
  const busy = fetcher.state !== "idle";
  const chosen = new Map(poll.mine?.choices.map((c) => [c.optionId, c.rank]) ?? []);
  const places = poll.options.map((_, i) => i + 1);
  return (
    <section id="poll" aria-labelledby="poll-heading" className="space-y-4 rounded-lg bg-white p-5 shadow-sm ring-1 ring-brand-200">
      <div>
        <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">
          Poll · {poll.ranked ? "rank your choices" : poll.multiple ? "choose any" : "choose one"}
        </p>
        <h2 id="poll-heading" className="mt-1 text-lg font-semibold">
          {poll.question}
        </h2>
        <p className="text-sm text-slate-500">{RESULTS_NOTE[poll.results]}</p>
        {poll.canEdit ? (
          <Link to={`${pollPath(slug, threadId)}#change-poll`} className="text-sm">
            Change the poll (until the first answer)
          </Link>
        ) : poll.editRefusal ? (
          <p className="text-sm text-slate-500">{poll.editRefusal}</p>
        ) : null}
      </div>
      <ActionError data={fetcher.data ?? error} />
      {poll.canAnswer ? (
        <fetcher.Form method="post" action={pollPath(slug, threadId)} className="space-y-3">
          <input type="hidden" name="intent" value="answer" />
          <fieldset className="space-y-2">
            <legend className="sr-only">{poll.question}</legend>
            {poll.options.map((option) =>
              poll.ranked ? (
                <div key={option.id} className="flex items-center gap-3">
                  <select
                    id={`rank-${option.id}`}
                    name={`rank.${option.id}`}
                    defaultValue={String(chosen.get(option.id) ?? "")}
                    className="rounded-md border-0 py-1 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300"
                  >
                    <option value="">Not ranked</option>
                    {places.map((place) => (
                      <option key={place} value={place}>
                        {ordinal(place)}
                      </option>
                    ))}
                  </select>
                  <label htmlFor={`rank-${option.id}`}>{option.label}</label>
                </div>
              ) : (
                <label key={option.id} className="flex items-start gap-3">
                  <input type={poll.multiple ? "checkbox" : "radio"} name="choice" value={option.id} defaultChecked={chosen.has(option.id)} className="mt-1 h-4 w-4" />
                  <span>{option.label}</span>
                </label>
              ),
            )}
            {poll.allowOther ? (
              <div className="space-y-1">
                <label className="flex items-start gap-3">
                  <input type={poll.multiple ? "checkbox" : "radio"} name="choice" value="other" defaultChecked={poll.mine?.other != null} className="mt-1 h-4 w-4" />
                  <span>Other</span>
                </label>
                <label htmlFor={`other-${poll.id}`} className="sr-only">
                  Your other answer
                </label>
                <input
                  id={`other-${poll.id}`}
                  name="other"
                  maxLength={500}
                  defaultValue={poll.mine?.other ?? ""}
                  placeholder="Your own answer"
                  className="ml-7 block w-[calc(100%-1.75rem)] rounded-md border-0 px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300"
                />
              </div>
            ) : null}
          </fieldset>
          <div className="flex flex-wrap items-center gap-3">
            <Button disabled={busy}>{busy ? "Saving…" : poll.mine ? "Change my answer" : "Answer"}</Button>
            {poll.mine ? <span className="text-sm text-green-700">You have answered; you can change it while the community is open.</span> : null}
          </div>
        </fetcher.Form>
      ) : poll.answerRefusal ? (
        <p className="rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-700">{poll.answerRefusal}</p>
      ) : null}
      {poll.tally ? (
        <Results tally={poll.tally} ranked={poll.ranked} />
      ) : (
        <p role="status" data-testid="poll-results-hidden" className="rounded-md border border-brand-200 bg-brand-50 px-4 py-3 text-sm text-brand-900">
          {poll.resultsHiddenBecause}
        </p>
      )}
      {poll.staff ? (
        <details className="text-sm">
          <summary className="cursor-pointer font-medium text-slate-700">By segment (staff only)</summary>
          <div className="mt-3 space-y-3">
            <SegmentTable bySegment={poll.staff.bySegment} ranked={poll.ranked} />
            {poll.staff.otherAnswers.length > 0 ? (
              <div>
                <h3 className="font-medium">“Other” answers</h3>
                <ul className="mt-1 list-disc pl-5 text-slate-700">
                  {poll.staff.otherAnswers.map((text, i) => (
                    <li key={i}>{text}</li>
                  ))}
                </ul>
              </div>
            ) : null}
            <Link to={`/c/${slug}/dashboard.csv?table=polls`} reloadDocument>
              Download every poll of this community as CSV
            </Link>
          </div>
        </details>
      ) : null}
    </section>
  );
}

function ordinal(place: number): string {
  const suffix = place % 10 === 1 && place !== 11 ? "st" : place % 10 === 2 && place !== 12 ? "nd" : place % 10 === 3 && place !== 13 ? "rd" : "th";
  return `${place}${suffix}`;
}

/** The results as bars: members who chose each option, its share, and its average place when ranked. */
export function Results({ tally, ranked }: { tally: PollResultsView; ranked: boolean }) {
  return (
    <div data-testid="poll-results" className="space-y-2">
      <p className="text-sm text-slate-600">
        {tally.answers === 1 ? "1 member answered" : `${tally.answers} members answered`}
        {tally.other > 0 ? `, ${tally.other} with their own answer` : ""}.
      </p>
      <ul className="space-y-2">
        {tally.options.map((option) => (
          <li key={option.id} className="text-sm">
            <div className="flex justify-between gap-3">
              <span>{option.label}</span>
              <span className="shrink-0 tabular-nums text-slate-600">
                {option.count} · {option.percent}%{ranked && option.averageRank !== null ? ` · average place ${option.averageRank}` : ""}
              </span>
            </div>
            {/* SVG attributes, not an inline style: the Content-Security-Policy allows no inline styles, which drew every bar full. */}
            <svg className="mt-1 block h-2 w-full" aria-hidden="true">
              <rect width="100%" height="100%" rx="4" className="fill-slate-100" />
              {option.percent > 0 ? <rect width={`${option.percent}%`} height="100%" rx="4" className="fill-brand-500" /> : null}
            </svg>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Options × segments: how many in each segment chose each option. */
export function SegmentTable({ bySegment, ranked }: { bySegment: { segment: string; results: PollResultsView }[]; ranked: boolean }) {
  if (bySegment.length === 0) return <p className="text-slate-600">Nobody has answered yet.</p>;
  const options = bySegment[0]!.results.options.map((o) => ({ id: o.id, label: o.label }));
  return (
    <Table headers={["Option", ...bySegment.map((s) => `${s.segment} (${s.results.answers})`)]}>
      {options.map((option) => (
        <tr key={option.id}>
          <td className="px-3 py-2">{option.label}</td>
          {bySegment.map((s) => {
            const result = s.results.options.find((o) => o.id === option.id)!;
            return (
              <td key={s.segment} className="px-3 py-2 tabular-nums">
                {result.count} ({result.percent}%){ranked && result.averageRank !== null ? `, place ${result.averageRank}` : ""}
              </td>
            );
          })}
        </tr>
      ))}
    </Table>
  );
}

/** The dashboard's polls: each with its results and the split by segment. */
export function DashboardPolls({ slug, polls }: { slug: string; polls: { id: string; threadId: string; threadTitle: string; question: string; ranked?: boolean; results: PollResultsView; bySegment: { segment: string; results: PollResultsView }[] }[] }) {
  if (polls.length === 0) return <p className="text-sm text-slate-600">No polls yet. Moderators and leaders add one from a thread (Lead this thread → Add a poll).</p>;
  return (
    <ul className="space-y-6">
      {polls.map((poll) => (
        <li key={poll.id} className="space-y-2">
          <h3 className="font-medium">
            <Link to={`/c/${slug}/t/${poll.threadId}#poll`}>{poll.question}</Link> <span className="text-sm font-normal text-slate-500">in “{poll.threadTitle}”</span>
          </h3>
          <Results tally={poll.results} ranked={poll.ranked ?? false} />
          <SegmentTable bySegment={poll.bySegment} ranked={poll.ranked ?? false} />
        </li>
      ))}
    </ul>
  );
}

/** The readout's polls, once the community has closed: results for everyone, no segments. */
export function ReadoutPolls({ polls }: { polls: { id: string; question: string; threadTitle: string; ranked?: boolean; results: PollResultsView }[] }) {
  if (polls.length === 0) return null;
  return (
    <section aria-labelledby="readout-polls-heading" className="space-y-4">
      <h2 id="readout-polls-heading" className="text-xl font-semibold">
        What the polls said
      </h2>
      <ul className="space-y-4">
        {polls.map((poll) => (
          <li key={poll.id} className="space-y-2 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h3 className="font-semibold">{poll.question}</h3>
            <p className="text-xs text-slate-500">in “{poll.threadTitle}”</p>
            <Results tally={poll.results} ranked={poll.ranked ?? false} />
          </li>
        ))}
      </ul>
    </section>
  );
}
