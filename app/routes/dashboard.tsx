import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { overviewDashboard } from "#app/features/dashboard/dashboard.server.ts";
import { formatDuration } from "#app/features/dashboard/format.ts";
import { STATUS_LABEL } from "#app/features/ideas/status.tsx";
import { TagChip } from "#app/features/triage/tags.tsx";
import { getDb } from "#app/lib/db.server.ts";
import { BarChart } from "#app/ui/bar-chart.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, "suggestion.view");
  return overviewDashboard(getDb(), user);
}

export const meta: MetaFunction = () => [{ title: "Overview · Cohort" }];

export default function OverviewPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-6xl space-y-6 px-4 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Overview across communities</h1>
      <div className="grid gap-3 sm:grid-cols-2">
        <div role="group" aria-label="From feedback to suggestion" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <p className="text-xs uppercase tracking-wide text-slate-500">From feedback to suggestion</p>
          <p className="text-2xl font-bold">{formatDuration(d.medianToSuggestionMs)}</p>
          <p className="text-xs text-slate-500">median, from a post to its highlight</p>
        </div>
        <div role="group" aria-label="From suggestion to decision" className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
          <p className="text-xs uppercase tracking-wide text-slate-500">From suggestion to decision</p>
          <p className="text-2xl font-bold">{formatDuration(d.medianToDecisionMs)}</p>
          <p className="text-xs text-slate-500">median, to a public answer that plans, ships or declines</p>
        </div>
      </div>
      <section aria-label="Suggestions by status" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="font-semibold">Suggestions by status</h2>
        <BarChart title="Suggestions by status" data={d.statuses.map((s) => ({ label: STATUS_LABEL[s.status], values: [s.n] }))} series={[{ name: "Suggestions", fill: "solid" }]} height={200} />
      </section>
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-label="Suggestions by tag" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 className="font-semibold">Suggestions by tag</h2>
          <table className="mt-2 w-full text-sm">
            <tbody>
              {d.tags.map((t) => (
                <tr key={t.name}>
                  <td className="py-1">
                    <TagChip tag={t} />
                  </td>
                  <td className="py-1 text-right tabular-nums">{t.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-label="Communities" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 className="font-semibold">Communities</h2>
          <table className="mt-2 w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 font-medium">Community</th>
                <th className="py-1 text-right font-medium">Members</th>
                <th className="py-1 text-right font-medium">Threads</th>
                <th className="py-1 text-right font-medium">Suggestions fed</th>
              </tr>
            </thead>
            <tbody>
              {d.communities.map((c) => (
                <tr key={c.slug} className="border-t border-slate-100">
                  <td className="py-1">
                    <Link to={`/c/${c.slug}/dashboard`}>{c.name}</Link>
                  </td>
                  <td className="py-1 text-right tabular-nums">{c.members}</td>
                  <td className="py-1 text-right tabular-nums">{c.threads}</td>
                  <td className="py-1 text-right tabular-nums">{c.suggestions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </main>
  );
}
