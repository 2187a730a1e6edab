import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/features/auth/request.server.ts";
import { listOpenFollowUps } from "#app/features/follow-ups/follow-ups.server.ts";
import { now } from "#app/lib/clock.ts";
import { formatCursor, parseCursor } from "#app/lib/cursor.ts";
import { formatInZone, formatRelative } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { PersonLink } from "#app/ui/person-link.tsx";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const after = parseCursor(new URL(request.url).searchParams.get("after"));
  const page = await orRespond(listOpenFollowUps(getDb(), user, after));
  const at = now();
  return {
    followUps: page.followUps.map((f) => ({
      id: f.id,
      community: f.community,
      slug: f.slug,
      thread: f.thread,
      participant: { id: f.participant_id, name: f.participant },
      asker: f.asker,
      question: f.question_markdown.length > 200 ? `${f.question_markdown.slice(0, 200)}…` : f.question_markdown,
      asked: formatInZone(f.created_at, f.time_zone),
      waiting: formatRelative(f.created_at, at),
    })),
    next: page.next ? `?after=${formatCursor(page.next)}` : null,
    paged: after !== undefined,
  };
}

export const meta: MetaFunction = () => [{ title: "Open follow-ups · Cohort" }];

export default function FollowUpsPage() {
  const { followUps, next, paged } = useLoaderData<typeof loader>();
  return (
    <main id="main" className="mx-auto max-w-4xl space-y-6 px-4 py-10">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Open follow-ups</h1>
        <p className="mt-1 text-slate-600">
          Private questions asked of participants that still wait for their reply, oldest first, across the communities you lead. Each leaves this list once it is answered.
        </p>
      </div>
      {followUps.length === 0 ? (
        <p role="status" className="rounded-lg bg-white p-6 text-slate-600 shadow-sm ring-1 ring-slate-200">
          Nothing waiting: every follow-up has been answered. Ask one from any participant's post with "Follow up privately".
        </p>
      ) : (
        <ol className="space-y-3" aria-label="Open follow-ups">
          {followUps.map((f) => (
            <li key={f.id} className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200">
              <p className="text-sm text-slate-500">
                {f.community} · “{f.thread}” · asked by {f.asker} on {f.asked} ({f.waiting})
              </p>
              <p className="mt-1 font-medium">
                For <PersonLink id={f.participant.id} name={f.participant.name} />
              </p>
              <p className="mt-1 whitespace-pre-wrap text-slate-800">{f.question}</p>
              <Link to={`/follow-ups/${f.id}`} className="mt-2 inline-block text-sm font-medium">
                Open the follow-up
              </Link>
            </li>
          ))}
        </ol>
      )}
      <nav className="flex gap-4 text-sm">
        {paged ? <Link to="/follow-ups">← Oldest</Link> : null}
        {next ? <Link to={next}>Later follow-ups →</Link> : null}
      </nav>
    </main>
  );
}
