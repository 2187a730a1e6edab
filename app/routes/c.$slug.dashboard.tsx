import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { can } from "#app/features/auth/policy.ts";
import { communityDashboard } from "#app/features/dashboard/dashboard.server.ts";
import { communityHeader } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { formatDuration, percent } from "#app/features/dashboard/format.ts";
import { TagChip } from "#app/features/triage/tags.tsx";
import { formatDayInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { BarChart } from "#app/ui/bar-chart.tsx";
import { Figure, Section } from "#app/features/dashboard/panels.tsx";
import { PersonLink } from "#app/ui/person-link.tsx";
import { communityPollResults } from "#app/features/polls/polls.server.ts";
import { DashboardPolls } from "#app/features/polls/poll-panel.tsx";
import { completionTable } from "#app/features/completion/completion.server.ts";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  // Completion's totals per prompt (no participant rows): the same rule lets staff see both.
  const [page, completion] = await Promise.all([
    orRespond(communityDashboard(getDb(), user, params.slug ?? "")),
    orRespond(completionTable(getDb(), user, params.slug ?? "", {}, 0)),
  ]);
  const { community } = page.view;
  const { view: _view, ...figures } = page;
  const polls = await communityPollResults(getDb(), page.view);
  return {
    polls,
    slug: community.slug,
    name: community.name,
    header: communityHeader(community),
    canExport: can(user, "research.export"),
    ...figures,
    completion: { participants: completion.participantCount, prompts: completion.prompts },
    days: page.days.map((d) => ({ ...d, label: formatDayInZone(d.start, community.time_zone).replace(/ \d{4}$/, "") })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Dashboard · ${data.name} · Cohort` : "Cohort" }];

export default function DashboardPage() {
  const d = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-6xl space-y-6 px-4 py-8">
      <CommunityHeader header={d.header} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight">Dashboard</h1>
        {d.canExport ? (
          <a href={`/c/${d.slug}/export.qdpx`} download className="text-sm" title="A REFI-QDA project for NVivo, ATLAS.ti, MAXQDA or QualCoder">
            Export coded evidence for QDA tools (.qdpx)
          </a>
        ) : null}
      </div>
      <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Figure label="Members" value={d.members} />
        <Figure label="Active participants" value={d.activeMembers} hint={`${percent(d.participationRate)} took part`} />
        <Figure label="Votes" value={d.votes} />
        <Figure label="First staff or leader reply" value={formatDuration(d.medianFirstAnswerMs)} hint={`median, over ${d.answeredThreads} threads`} />
        <Figure label="Unanswered threads" value={d.unanswered} />
        <Figure label="Triage coverage" value={percent(d.triage.coverage)} hint={`${d.triage.decided} of ${d.triage.items} items`} />
      </div>
      <Section title="Posts and ideas per day" csvHref={`/c/${d.slug}/dashboard.csv?table=days`}>
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
        <Section title="Invitation funnel" csvHref={`/c/${d.slug}/dashboard.csv?table=funnel`}>
          <BarChart
            title="Invitation funnel"
            data={[
              { label: "Sent", values: [d.funnel.sent, d.funnel.fromNominations.sent] },
              { label: "Opened", values: [d.funnel.opened, d.funnel.fromNominations.opened] },
              { label: "Accepted", values: [d.funnel.accepted, d.funnel.fromNominations.accepted] },
            ]}
            series={[
              { name: "Invitations", fill: "solid" },
              { name: "From nominations", fill: "hatched" },
            ]}
            height={180}
          />
          <p className="text-xs text-slate-500">
            {d.funnel.expired} expired, {d.funnel.revoked} revoked. From nominations: {d.funnel.fromNominations.sent} sent, {d.funnel.fromNominations.accepted} accepted.
          </p>
        </Section>
        <Section title="Suggestions by tag" csvHref={`/c/${d.slug}/dashboard.csv?table=tags`}>
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
      <Section title="Polls" csvHref={`/c/${d.slug}/dashboard.csv?table=polls`}>
        <DashboardPolls slug={d.slug} polls={d.polls} />
      </Section>
      <Section title="Completion by research prompt" csvHref={`/c/${d.slug}/completion.csv`}>
        {d.completion.prompts.length === 0 ? (
          <p className="text-sm text-slate-600">No research prompt has appeared yet.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 font-medium">Prompt</th>
                <th className="py-1 text-right font-medium">Answered</th>
                <th className="py-1 text-right font-medium">Not yet</th>
              </tr>
            </thead>
            <tbody>
              {d.completion.prompts.map((p) => (
                <tr key={p.id} className="border-t border-slate-100">
                  <td className="py-1 wrap-anywhere">
                    {p.number}. {p.title}
                  </td>
                  <td className="py-1 text-right tabular-nums">
                    {p.answered} of {d.completion.participants} ({percent(d.completion.participants ? p.answered / d.completion.participants : 0)})
                  </td>
                  <td className="py-1 text-right tabular-nums">{p.notAnswered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Link to={`/c/${d.slug}/completion`} className="text-sm">
          Who has answered what, and nudges →
        </Link>
      </Section>
      <Section title="Top contributors" csvHref={`/c/${d.slug}/dashboard.csv?table=contributors`}>
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
              <tr key={c.id} className="border-t border-slate-100">
                <td className="py-1 wrap-anywhere">
                  <PersonLink id={c.id} name={c.name} />
                </td>
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
