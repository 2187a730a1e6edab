import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/features/auth/request.server.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { mentionSuggestions } from "#app/features/mentions/mentions.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";

/** Names (never emails) of the community's members matching what was typed after @, for a reader of the community. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const view = await orRespond(getCommunityForActor(getDb(), user, params.slug ?? ""));
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return Response.json({ people: await mentionSuggestions(getDb(), view.community.id, q) });
}
