import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { listStaff } from "#app/features/auth/accounts.server.ts";
import { listCommunityChoices } from "#app/features/communities/communities.server.ts";
import { StatusBadge } from "#app/features/ideas/status.tsx";
import { STATUS_LABEL, SUGGESTION_STATUSES } from "#app/features/suggestions/statuses.ts";
import { BOARD_COLUMN, boardFilters, NewSuggestionSchema } from "#app/features/suggestions/schemas.ts";
import { createSuggestion } from "#app/features/suggestions/suggestions.server.ts";
import { listBoard } from "#app/features/suggestions/board.server.ts";
import { TagChip } from "#app/features/triage/tags.tsx";
import { now } from "#app/lib/clock.ts";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { formatRelative } from "#app/lib/dates.ts";
import { count } from "#app/lib/plural.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act, parseForm } from "#app/lib/form-action.server.ts";
import { ActionError } from "#app/ui/action-error.tsx";
import { Button } from "#app/ui/button.tsx";
import { FilterSelect } from "#app/ui/filter-select.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "suggestion.view");
  const url = new URL(request.url);
  const filters = boardFilters(url.searchParams);
  const db = getDb();
  const [board, communities, owners] = await Promise.all([
    listBoard(db, user, filters, { after: parseCursor(url.searchParams.get("after")), columns: filters.view === "columns" }),
    listCommunityChoices(db),
    listStaff(db),
  ]);
  const at = now();
  return {
    filters,
    suggestions: board.suggestions.map((s) => ({ ...s, updated: formatRelative(s.updated_at, at) })),
    next: board.next ? formatCursor(board.next) : null,
    paged: url.searchParams.has("after"),
    statusCounts: board.statusCounts,
    tagCounts: board.tagCounts,
    communities,
    owners,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, "suggestion.edit");
  return act(async () => {
    const { id } = await createSuggestion(getDb(), user, parseForm(NewSuggestionSchema, await request.formData()));
    return redirect(`/suggestions/${id}`);
  });
}

export const meta: MetaFunction = () => [{ title: "Suggestions · Cohort" }];

export default function BoardPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  const withParam = (key: string, value: string | undefined) => {
    const params = new URLSearchParams(location.search);
    // Another filter or view starts again from the first page.
    if (key !== "after") params.delete("after");
    if (value === undefined) params.delete(key);
    else params.set(key, value);
    return `?${params.toString()}`;
  };
  const csv = `/suggestions.csv${location.search}`;
  return (
    <main id="main" className="mx-auto max-w-7xl space-y-5 px-4 py-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Product suggestions</h1>
          <p className="text-sm text-slate-600">What the communities' feedback became, with its evidence. Open one to answer it; contributors hear the answer.</p>
        </div>
        <div className="flex flex-wrap gap-2 text-sm">
          <Link to="/dashboard">Overview</Link>
          <span aria-hidden="true">·</span>
          <Link to={withParam("view", page.filters.view === "list" ? "columns" : "list")}>{page.filters.view === "list" ? "Show as columns" : "Show as a list"}</Link>
          <span aria-hidden="true">·</span>
          <a href={csv} download>
            Export CSV
          </a>
          <span aria-hidden="true">·</span>
          <a href={`/suggestions.qdpx${page.filters.tag ? `?tag=${encodeURIComponent(page.filters.tag)}` : ""}`} download title="A REFI-QDA project for NVivo, ATLAS.ti, MAXQDA or QualCoder: the evidence of these suggestions, coded">
            Export for QDA tools (.qdpx){page.filters.tag ? ", this tag" : ""}
          </a>
        </div>
      </div>

      {/* Keyed by the query, so the selects show the filters after a tag link changes them. */}
      <Form method="get" key={location.search} className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 text-sm shadow-sm ring-1 ring-slate-200">
        <input type="hidden" name="view" value={page.filters.view} />
        <FilterSelect label="Tag" name="tag" value={page.filters.tag} all="Any tag" options={page.tagCounts.map((t) => [t.id, `${t.name} (${t.n})`])} />
        <FilterSelect label="Community" name="community" value={page.filters.community} all="All communities" options={page.communities.map((c) => [c.slug, c.name])} />
        <FilterSelect label="Owner" name="owner" value={page.filters.owner} all="Anyone" options={page.owners.map((o) => [o.id, o.display_name])} />
        <FilterSelect label="Status" name="status" value={page.filters.status} all="Any status" options={SUGGESTION_STATUSES.map((s) => [s, STATUS_LABEL[s]])} />
        <FilterSelect
          label="Sort by"
          name="sort"
          value={page.filters.sort}
          options={[
            ["strength", "Evidence strength"],
            ["recent", "Recently changed"],
          ]}
        />
        <Button variant="secondary" className="py-1.5">
          Apply
        </Button>
      </Form>

      <nav aria-label="Tags" className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">Tags:</span>
        {page.tagCounts.map((tag) => (
          <Link key={tag.id} to={withParam("tag", page.filters.tag === tag.id ? undefined : tag.id)} aria-current={page.filters.tag === tag.id ? "true" : undefined} className="no-underline">
            <TagChip tag={tag} /> <span className="text-xs text-slate-500">{tag.n}</span>
          </Link>
        ))}
      </nav>

      {page.suggestions.length === 0 ? (
        <p role="status" className="rounded-lg bg-white p-6 text-slate-600 shadow-sm ring-1 ring-slate-200">
          No suggestions match. Moderators create them from the triage inbox.
        </p>
      ) : page.filters.view === "columns" ? (
        <div className="grid gap-3 md:grid-cols-3 xl:grid-cols-6">
          {SUGGESTION_STATUSES.map((status) => {
            const inColumn = page.suggestions.filter((s) => s.status === status);
            const total = page.statusCounts[status] ?? 0;
            return (
              <section key={status} aria-label={STATUS_LABEL[status]} className="space-y-2 rounded-lg bg-slate-100 p-2">
                <h2 className="px-1 text-sm font-semibold">
                  {STATUS_LABEL[status]} <span className="text-slate-600">({total})</span>
                </h2>
                {inColumn.map((s) => (
                  <Link key={s.id} to={`/suggestions/${s.id}`} className="block rounded-md bg-white p-3 text-sm text-slate-900 no-underline shadow-sm ring-1 ring-slate-200 hover:ring-brand-400 hover:no-underline">
                    <span className="font-medium">{s.title}</span>
                    <span className="mt-1 block text-xs text-slate-500">
                      {count(s.strength.members, "member")} · {count(s.strength.votes, "vote")}
                    </span>
                  </Link>
                ))}
                {total > inColumn.length ? (
                  <Link to={`?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(location.search)), view: "list", status })}`} className="block px-1 text-xs">
                    The first {BOARD_COLUMN} of {total}; see them all as a list
                  </Link>
                ) : null}
              </section>
            );
          })}
        </div>
      ) : (
        <div className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                {["Suggestion", "Status", "Tags", "Owner", "Members", "Votes", "Communities", "Changed"].map((h) => (
                  <th key={h} className="whitespace-nowrap px-3 py-2 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.suggestions.map((s) => (
                <tr key={s.id}>
                  <td className="min-w-48 px-3 py-2">
                    <Link to={`/suggestions/${s.id}`} className="font-medium">
                      {s.title}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={s.status} />
                  </td>
                  <td className="px-3 py-2">
                    <span className="flex flex-wrap gap-1">
                      {s.tags.map((t) => (
                        <TagChip key={t.id} tag={t} />
                      ))}
                    </span>
                  </td>
                  <td className="px-3 py-2">{s.owner ?? "—"}</td>
                  <td className="px-3 py-2 tabular-nums">{s.strength.members}</td>
                  <td className="px-3 py-2 tabular-nums">{s.strength.votes}</td>
                  <td className="px-3 py-2 tabular-nums">{s.strength.communities}</td>
                  <td className="px-3 py-2 text-slate-500">{s.updated}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {page.filters.view === "list" && (page.next || page.paged) ? (
        <nav aria-label="Pages" className="flex gap-4 text-sm">
          {page.paged ? <Link to={withParam("after", undefined)}>First page</Link> : null}
          {page.next ? <Link to={withParam("after", page.next)}>Next page</Link> : null}
        </nav>
      ) : null}

      <details className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <summary className="cursor-pointer font-semibold">New suggestion</summary>
        <Form method="post" className="mt-3 space-y-3">
          <ActionError data={actionData} />
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Title</span>
            <input name="title" required minLength={3} maxLength={200} className="block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
          </label>
          <label className="block space-y-1 text-sm">
            <span className="font-medium">Problem statement</span>
            <textarea name="problem" rows={3} className="block w-full rounded-md border-0 px-3 py-1.5 ring-1 ring-inset ring-slate-300" />
          </label>
          <Button>Create suggestion</Button>
        </Form>
      </details>
    </main>
  );
}
