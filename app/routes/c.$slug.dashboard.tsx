import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { communityDashboard } from "#app/features/dashboard/dashboard.server.ts";
import { formatDuration, percent } from "#app/features/dashboard/format.ts";
import { TagChip } from "#app/features/triage/tags.tsx";
import { formatDayInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { BarChart } from "#app/ui/bar-chart.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const page = await orRespond(communityDashboard(getDb(), user, params.slug ?? ""));
  const { community } = page.view;
  const { view: _view, ...figures } = page;
  return {
    slug: community.slug,
    name: community.name,
    ...figures,
    days: page.days.map((d) => ({ ...d, label: formatDayInZone(d.start, community.time_zone).replace(/ \d{4}$/, "") })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Dashboard · ${data.name} · Cohort` : "Cohort" }];

function Figure({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <div role="group" aria-label={label} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <p className="text-xs uppercase tracking-wide text-slate-500">{label}</p>
      <p className="text-2xl font-bold tabular-nums">{value}</p>
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
    </div>
  );
}

function Section({ title, csv, slug, children }: { title: string; csv?: string; slug: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="space-y-2 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between gap-2">
        <h2 className="font-semibold">{title}</h2>
        {csv ? (
          <a href={`/c/${slug}/dashboard.csv?table=${csv}`} download className="text-sm">
            CSV
          </a>
        ) : null}
      </div>
      {children}
    </section>
  );
}

export default function DashboardPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-6xl space-y-6 px-4 py-8">
      <Link to={`/c/${d.slug}`} className="text-sm">
        ← {d.name}
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">Dashboard</h1>
      <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Figure label="Members" value={d.members} />
        <Figure label="Active participants" value={d.activeMembers} hint={`${percent(d.participationRate)} took part`} />
        <Figure label="Votes" value={d.votes} />
        <Figure label="First staff or leader reply" value={formatDuration(d.medianFirstAnswerMs)} hint={`median, over ${d.answeredThreads} threads`} />
        <Figure label="Unanswered threads" value={d.unanswered} />
        <Figure label="Triage coverage" value={percent(d.triage.coverage)} hint={`${d.triage.decided} of ${d.triage.items} items`} />
      </div>
      <Section title="Posts and ideas per day" csv="days" slug={d.slug}>
        <BarChart
          title="Posts and ideas per day"
          data={d.days.map((day) => ({ label: day.label, values: [day.posts, day.ideas] }))}
          series={[
            { name: "Posts", fill: "solid" },
            { name: "Ideas", fill: "hatched" },
          ]}
        />
      </Section>
      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Invitation funnel" csv="funnel" slug={d.slug}>
          <BarChart
            title="Invitation funnel"
            data={[
              { label: "Sent", values: [d.funnel.sent] },
              { label: "Opened", values: [d.funnel.opened] },
              { label: "Accepted", values: [d.funnel.accepted] },
            ]}
            series={[{ name: "Invitations", fill: "solid" }]}
            height={180}
          />
          <p className="text-xs text-slate-500">
            {d.funnel.expired} expired, {d.funnel.revoked} revoked.
          </p>
        </Section>
        <Section title="Suggestions by tag" csv="tags" slug={d.slug}>
          {d.tags.length === 0 ? (
            <p className="text-sm text-slate-600">No suggestions draw on this community yet.</p>
          ) : (
            <table className="w-full text-sm">
              <tbody>
                {d.tags.map((tag) => (
                  <tr key={tag.name}>
                    <td className="py-1">
                      <TagChip tag={tag} />
                    </td>
                    <td className="py-1 text-right tabular-nums">{tag.n}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      </div>
      <Section title="Top contributors" csv="contributors" slug={d.slug}>
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 font-medium">Member</th>
              <th className="py-1 text-right font-medium">Threads</th>
              <th className="py-1 text-right font-medium">Replies</th>
              <th className="py-1 text-right font-medium">Votes</th>
            </tr>
          </thead>
          <tbody>
            {d.contributors.map((c) => (
              <tr key={c.name} className="border-t border-slate-100">
                <td className="py-1">{c.name}</td>
                <td className="py-1 text-right tabular-nums">{c.threads}</td>
                <td className="py-1 text-right tabular-nums">{c.replies}</td>
                <td className="py-1 text-right tabular-nums">{c.votes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </main>
  );
}
