import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "#app/features/auth/request.server.ts";
import { overviewDashboard } from "#app/features/dashboard/dashboard.server.ts";
import { formatDuration } from "#app/features/dashboard/format.ts";
import { STATUS_LABEL } from "#app/features/suggestions/statuses.ts";
import { TagChip } from "#app/features/triage/tags.tsx";
import { getDb } from "#app/lib/db.server.ts";
import { BarChart } from "#app/ui/bar-chart.tsx";
import { Figure, Section } from "#app/features/dashboard/panels.tsx";

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
        <Figure label="From feedback to suggestion" value={formatDuration(d.medianToSuggestionMs)} hint="median, from a post to its highlight" />
        <Figure label="From suggestion to decision" value={formatDuration(d.medianToDecisionMs)} hint="median, to a public answer that plans, ships or declines" />
      </div>
      <Section title="Suggestions by status">
        <BarChart title="Suggestions by status" data={d.statuses.map((s) => ({ label: STATUS_LABEL[s.status], values: [s.n] }))} series={[{ name: "Suggestions", fill: "solid" }]} height={200} />
      </Section>
      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Suggestions by tag">
          <table className="w-full text-sm">
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
        </Section>
        <Section title="Communities">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 font-medium">Community</th>
                <th className="py-1 pl-3 text-right font-medium">Members</th>
                <th className="py-1 pl-3 text-right font-medium">Threads</th>
                <th className="py-1 pl-3 text-right font-medium">Suggestions fed</th>
              </tr>
            </thead>
            <tbody>
              {d.communities.map((c) => (
                <tr key={c.slug} className="border-t border-slate-100">
                  <td className="py-1 wrap-anywhere">
                    <Link to={`/c/${c.slug}/dashboard`}>{c.name}</Link>
                  </td>
                  <td className="py-1 text-right tabular-nums">{c.members}</td>
                  <td className="py-1 text-right tabular-nums">{c.threads}</td>
                  <td className="py-1 text-right tabular-nums">{c.suggestions}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      </div>
    </main>
  );
}
