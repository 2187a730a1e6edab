import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { can } from "#app/features/auth/policy.ts";
import { requireUser } from "#app/features/auth/request.server.ts";
import { describeTimeBox, getCommunityForActor, leaveCommunity, listAnnouncements } from "#app/features/communities/communities.server.ts";
import { PhaseBadge, PhaseBanner, TimeBox } from "#app/features/communities/time-box.tsx";
import { formatDayInZone } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { Button, buttonClass } from "#app/ui/button.tsx";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const view = await orRespond(getCommunityForActor(getDb(), user, params.slug ?? ""));
  const { community } = view;
  const announcements = await listAnnouncements(getDb(), community.id);
  return {
    announcements: announcements.map((a) => ({ id: a.id, body: a.body, when: formatDayInZone(a.created_at, community.time_zone) })),
    slug: community.slug,
    name: community.name,
    purposeHtml: community.purpose_html,
    voteBudget: community.vote_budget,
    box: describeTimeBox(community),
    closedOn: formatDayInZone(community.ends_at, community.time_zone),
    membershipRole: view.membership?.role ?? null,
    canManage: can(user, "community.manage", view),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  await orRespond(leaveCommunity(getDb(), user, params.slug ?? ""));
  return redirect("/");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.name} · Cohort` : "Cohort" }];

export default function CommunityPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-10">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <PhaseBadge phase={data.box.phase} />
          <h1 className="mt-2 text-3xl font-bold tracking-tight">{data.name}</h1>
          {data.membershipRole ? <p className="mt-1 text-sm text-slate-600">You are a {data.membershipRole === "leader" ? "discussion leader" : data.membershipRole} here.</p> : null}
        </div>
        {data.canManage ? (
          <div className="flex flex-wrap gap-2">
            <Link to={`/c/${data.slug}/members`} className={buttonClass("secondary")}>
              Members and invitations
            </Link>
            <Link to={`/c/${data.slug}/edit`} className={buttonClass("secondary")}>
              Edit community
            </Link>
          </div>
        ) : null}
      </div>
      <PhaseBanner box={data.box} closedOn={data.closedOn} />
      {data.announcements.length ? (
        <section aria-labelledby="announcements-heading" className="rounded-lg border border-brand-200 bg-brand-50 p-5">
          <h2 id="announcements-heading" className="text-sm font-semibold uppercase tracking-wide text-brand-700">
            Announcements
          </h2>
          <ul className="mt-2 space-y-2">
            {data.announcements.map((a) => (
              <li key={a.id} className="text-sm text-slate-800">
                <span className="text-slate-500">{a.when}:</span> {a.body}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <TimeBox box={data.box} />
      <section aria-labelledby="purpose-heading" className="rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 id="purpose-heading" className="text-lg font-semibold">
          What this community is for
        </h2>
        {/* Rendered from Markdown with raw HTML disabled when it was written (app/lib/markdown.server.ts). */}
        <div className="prose-cohort mt-3" dangerouslySetInnerHTML={{ __html: data.purposeHtml }} />
        {data.voteBudget ? <p className="mt-4 text-sm text-slate-600">Each member has {data.voteBudget} votes to spread across ideas.</p> : null}
      </section>
      {data.membershipRole ? (
        <Form method="post" className="text-right">
          <Button variant="ghost">Leave this community</Button>
        </Form>
      ) : null}
    </main>
  );
}
