import { EvidenceImage } from "#app/features/attachments/images.tsx";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { StatusBadge } from "#app/features/ideas/status.tsx";
import { readout } from "#app/features/suggestions/readout.server.ts";
import { communityHeader } from "#app/features/communities/communities.server.ts";
import { CommunityHeader } from "#app/features/communities/community-header.tsx";
import { formatDayInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { count } from "#app/lib/plural.ts";
import { readoutPollResults } from "#app/features/polls/polls.server.ts";
import { ReadoutPolls } from "#app/features/polls/poll-panel.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const page = await orRespond(readout(getDb(), user, params.slug ?? ""));
  const { community } = page.view;
  return {
    slug: community.slug,
    name: community.name,
    header: communityHeader(community),
    // A former member reads the readout but not the community: no link back into it.
    member: page.view.membership !== null || !page.view.formerMember,
    closedOn: formatDayInZone(community.ends_at, community.time_zone),
    totals: page.totals,
    polls: await readoutPollResults(getDb(), page.view),
    suggestions: page.suggestions.map((s) => ({ ...s, answeredOn: s.answered_at ? formatDayInZone(s.answered_at, community.time_zone) : null })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Readout · ${data.name} · Cohort` : "Cohort" }];

export default function ReadoutPage() {
  const page = useLoaderData<typeof loader>();
  const yours = page.suggestions.filter((s) => s.yours.length || s.yourImages.length);
  return (
    <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <CommunityHeader header={page.header} back={page.member ? undefined : { to: "/", label: "Your communities" }} />
      <div>
        <h1 className="text-3xl font-bold tracking-tight">What your feedback became</h1>
        <p className="mt-1 text-slate-600">
          {page.name} closed on {page.closedOn}. {count(page.totals.members, "member")} wrote {count(page.totals.threads, "thread")} and {count(page.totals.replies, "reply", "replies")}; the product team took{" "}
          {count(page.totals.suggestions, "suggestion")} from them.
        </p>
      </div>
      {yours.length ? (
        <section aria-labelledby="yours-heading" className="rounded-lg border border-brand-200 bg-brand-50 p-5">
          <h2 id="yours-heading" className="font-semibold">
            Your part
          </h2>
          <p className="text-sm text-slate-700">Your words or votes fed {yours.length === 1 ? "one suggestion" : `${yours.length} suggestions`}, marked below.</p>
        </section>
      ) : null}
      {page.suggestions.length === 0 ? (
        <p className="text-slate-600">The product team has not linked feedback from this community to suggestions yet. You will hear when it does.</p>
      ) : (
        <ul className="space-y-4">
          {page.suggestions.map((s) => (
            <li key={s.id} className="space-y-2 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h2 className="font-semibold">{s.title}</h2>
                <StatusBadge status={s.status} />
              </div>
              <p className="text-xs text-slate-500">
                {count(s.quotesHere, "piece")} of evidence from this community
              </p>
              {s.answerHtml ? (
                <blockquote className="border-l-4 border-slate-200 pl-3 text-sm text-slate-800">
                  {/* Rendered from Markdown with raw HTML disabled. */}
                  <div className="prose-cohort" dangerouslySetInnerHTML={{ __html: s.answerHtml }} />
                  {s.answeredOn ? <span className="mt-1 block text-xs text-slate-500">Answered {s.answeredOn}</span> : null}
                </blockquote>
              ) : (
                <p className="text-sm text-slate-500">Not answered yet.</p>
              )}
              {s.alternative ? <p className="text-sm">Instead, you can: {s.alternative}</p> : null}
              {s.yours.length || s.yourImages.length ? (
                <div className="rounded-md bg-brand-50 p-3 text-sm">
                  <p className="font-medium text-brand-900">From you:</p>
                  <ul className="mt-1 list-disc pl-5 text-slate-800">
                    {s.yours.map((quote, i) => (
                      <li key={i}>{quote}</li>
                    ))}
                  </ul>
                  {s.yourImages.map((image) => (
                    <EvidenceImage key={image.id} image={image} />
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <ReadoutPolls polls={page.polls} />
    </main>
  );
}
