import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { z } from "#app/lib/zod.ts";
import { requireUser } from "#app/features/auth/request.server.ts";
import { communityHeader, listSegments } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { completionTable, nudgeNonAnswerers } from "#app/features/completion/completion.server.ts";
import { completionFilters } from "#app/features/completion/filters.ts";
import { CELL_LABEL, SUMMARY_COLUMNS, type CellState } from "#app/features/completion/completion.ts";
import { formatCursor } from "#app/lib/cursor.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { count } from "#app/lib/plural.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button, buttonClass } from "#app/ui/button.tsx";
import { FilterSelect } from "#app/ui/filter-select.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const url = new URL(request.url);
  const { query, ...filters } = completionFilters(url);
  const [table, segments] = await Promise.all([orRespond(completionTable(getDb(), user, params.slug ?? "", filters)), listSegments(getDb())]);
  const { community } = table.view;
  const nudgeId = url.searchParams.get("nudge");
  const nextQuery = new URLSearchParams(query);
  if (table.next) nextQuery.set("after", formatCursor(table.next));
  return {
    slug: community.slug,
    name: community.name,
    header: communityHeader(community),
    participantCount: table.participantCount,
    prompts: table.prompts,
    polls: table.polls,
    rows: table.rows,
    canNudge: table.canNudge,
    segments,
    filters: { prompt: filters.notAnswered, poll: filters.notVoted, segment: filters.segment },
    query: query.toString(),
    next: table.next ? `?${nextQuery}` : null,
    paged: filters.after !== undefined,
    confirmNudge: table.canNudge ? (table.prompts.find((p) => p.id === nudgeId) ?? null) : null,
  };
}

const NudgeSchema = z.object({ intent: z.literal("nudge"), prompt: z.string().min(1).max(64) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  return act(async () => {
    const { prompt } = parseForm(NudgeSchema, await request.formData());
    const { sent, alreadyToday } = await nudgeNonAnswerers(getDb(), user, slug, prompt);
    return redirect(`/c/${slug}/completion?prompt=${encodeURIComponent(prompt)}&nudged=${sent}&skipped=${alreadyToday}`);
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Completion · ${data.name} · Cohort` : "Cohort" }];

const CELL_STYLE: Record<CellState, string> = {
  answered: "bg-green-100 text-green-900",
  "follow-up": "bg-violet-100 text-violet-900",
  "not-yet": "bg-slate-100 text-slate-600",
};
const CELL_MARK: Record<CellState, string> = { answered: "✓", "follow-up": "?", "not-yet": "–" };

export default function CompletionPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const search = new URLSearchParams(useLocation().search);
  const nudged = search.get("nudged");
  const skipped = Number(search.get("skipped") ?? 0);
  return (
    <main id="main" className="mx-auto max-w-6xl space-y-6 px-4 py-8">
      <CommunityHeader header={page.header} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Completion</h1>
          <p className="mt-1 text-slate-600">
            Which of the {count(page.participantCount, "participant")} answered which research prompt, and how many of the polls they voted in. A private follow-up still waiting shows as “Follow-up open”.
          </p>
        </div>
        <a href={`/c/${page.slug}/completion.csv${page.query ? `?${page.query}` : ""}`} download className={buttonClass("secondary")}>
          Download CSV
        </a>
      </div>
      {nudged !== null ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-4 py-3 text-sm text-green-800">
          Nudged {count(Number(nudged), "member")}: each gets a notification and, by their settings, an email.
          {skipped > 0 ? ` ${count(skipped, "member")} already had a nudge for this prompt today and ${skipped === 1 ? "was" : "were"} left alone.` : ""}
        </p>
      ) : null}
      <ActionError data={actionData} />
      {page.confirmNudge ? (
        <Form method="post" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-5">
          <input type="hidden" name="intent" value="nudge" />
          <input type="hidden" name="prompt" value={page.confirmNudge.id} />
          <p className="font-semibold">Nudge the members who have not answered “{page.confirmNudge.title}”?</p>
          <p className="text-sm text-slate-700">
            {count(page.confirmNudge.notAnswered, "participant")} {page.confirmNudge.notAnswered === 1 ? "has" : "have"} not answered it
            {page.filters.segment ? " (in every segment, not only the one filtered)" : ""}. Each gets one notification and, by their email settings, one email. Anyone
            already nudged for this prompt today is skipped; this is recorded in the audit log.
          </p>
          <div className="flex gap-2">
            <Button>Send the nudges</Button>
            <Link to={`?${page.query}`} className={buttonClass("ghost")}>
              Cancel
            </Link>
          </div>
        </Form>
      ) : null}
      <Form method="get" className="flex flex-wrap items-end gap-3 text-sm">
        <FilterSelect label="Has not answered" name="prompt" value={page.filters.prompt} options={page.prompts.map((p) => [p.id, `Prompt ${p.number}: ${p.title}`])} all="Any prompt" />
        {page.polls.length > 0 ? (
          <FilterSelect label="Has not voted in" name="poll" value={page.filters.poll} options={page.polls.map((p) => [p.id, `Poll ${p.number}: ${p.question}`])} all="Any poll" />
        ) : null}
        <FilterSelect label="Segment" name="segment" value={page.filters.segment} options={page.segments.map((s) => [s, s])} all="Any segment" />
        <Button variant="secondary" className="py-1.5">
          Filter
        </Button>
        {page.query ? <Link to=".">Clear filters</Link> : null}
      </Form>
      {page.prompts.length === 0 ? (
        <p role="status" className="rounded-lg bg-white p-6 text-slate-600 shadow-sm ring-1 ring-slate-200">
          No research prompt has appeared yet. Post one from the community page; it shows here once participants can see it.
        </p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full text-left text-sm" aria-label="Completion by participant and prompt">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Participant
                </th>
                {page.prompts.map((p) => (
                  <th key={p.id} scope="col" className="min-w-32 px-3 py-2 align-bottom font-medium">
                    <span className="block text-xs text-slate-500">Prompt {p.number}</span>
                    <span className="line-clamp-2">{p.title}</span>
                  </th>
                ))}
                {SUMMARY_COLUMNS.map((c) => (
                  <th key={c.key} scope="col" className="whitespace-nowrap px-3 py-2 font-medium">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.rows.map((row) => (
                <tr key={row.id} data-participant={row.name}>
                  <th scope="row" className="px-3 py-2 font-normal">
                    <PersonLink id={row.id} name={row.name} />
                    {row.segment ? <span className="block text-xs text-slate-500">{row.segment}</span> : null}
                  </th>
                  {row.cells.map((cell, index) => (
                    <td key={page.prompts[index]!.id} className="px-3 py-2" data-state={cell}>
                      <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${CELL_STYLE[cell]}`}>
                        <span aria-hidden="true">{CELL_MARK[cell]}</span> {CELL_LABEL[cell]}
                      </span>
                    </td>
                  ))}
                  {SUMMARY_COLUMNS.map((c) => (
                    <td key={c.key} className="whitespace-nowrap px-3 py-2 tabular-nums">
                      {row.summary[c.key]}
                    </td>
                  ))}
                </tr>
              ))}
              {page.rows.length === 0 ? (
                <tr>
                  <td colSpan={page.prompts.length + 1 + SUMMARY_COLUMNS.length} className="px-3 py-4 text-slate-600">
                    Nobody matches these filters.
                  </td>
                </tr>
              ) : null}
            </tbody>
            <tfoot className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="row" className="px-3 py-2 font-medium">
                  Answered{page.filters.segment ? ` (${page.filters.segment})` : ""}
                </th>
                {page.prompts.map((p) => (
                  <td key={p.id} className="px-3 py-2 align-top">
                    <span className="font-semibold tabular-nums">
                      {p.answered} of {page.participantCount}
                    </span>
                    {p.nudgedToday ? <span className="block text-xs text-slate-500">{count(p.nudgedToday, "nudge")} today</span> : null}
                    {page.canNudge && p.notAnswered > 0 ? (
                      <Link to={`?${new URLSearchParams({ ...(page.query ? Object.fromEntries(new URLSearchParams(page.query)) : {}), nudge: p.id })}`} className="mt-1 block text-xs font-medium">
                        Nudge who has not answered
                      </Link>
                    ) : null}
                  </td>
                ))}
                {SUMMARY_COLUMNS.map((c) => (
                  <td key={c.key} />
                ))}
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      <nav className="flex gap-4 text-sm">
        {page.paged ? <Link to={`?${page.query}`}>← First participants</Link> : null}
        {page.next ? <Link to={page.next}>More participants →</Link> : null}
      </nav>
    </main>
  );
}
