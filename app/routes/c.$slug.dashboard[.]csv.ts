import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/features/auth/request.server.ts";
import { communityDashboard } from "#app/features/dashboard/dashboard.server.ts";
import { csvResponse } from "#app/lib/csv.server.ts";
import { isoDay } from "#app/lib/dates.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";
import { communityPollResults } from "#app/features/polls/polls.server.ts";
import { pollCsvRows } from "#app/features/polls/tally.ts";

/** Each table of the dashboard as CSV: ?table=days|funnel|tags|contributors|polls. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const d = await orRespond(communityDashboard(getDb(), user, params.slug ?? ""));
  const slug = d.view.community.slug;
  const table = new URL(request.url).searchParams.get("table");
  switch (table) {
    case "days":
      return csvResponse([["Day", "Posts", "Ideas"], ...d.days.map((day) => [isoDay(day.start), day.posts, day.ideas])], `${slug}-per-day`);
    case "funnel":
      return csvResponse(
        [
          ["Sent", "Opened", "Accepted", "Expired", "Revoked", "Sent from nominations", "Accepted from nominations"],
          [d.funnel.sent, d.funnel.opened, d.funnel.accepted, d.funnel.expired, d.funnel.revoked, d.funnel.fromNominations.sent, d.funnel.fromNominations.accepted],
        ],
        `${slug}-funnel`,
      );
    case "tags":
      return csvResponse([["Tag", "Suggestions"], ...d.tags.map((t) => [t.name, t.n])], `${slug}-tags`);
    case "contributors":
      return csvResponse([["Member", "Threads", "Replies", "Votes"], ...d.contributors.map((c) => [c.name, c.threads, c.replies, c.votes])], `${slug}-contributors`);
    case "polls":
      return csvResponse(pollCsvRows(await communityPollResults(getDb(), d.view)), `${slug}-polls`);
    default:
      throw new Response("Choose a table: days, funnel, tags, contributors or polls.", { status: 404 });
  }
}
