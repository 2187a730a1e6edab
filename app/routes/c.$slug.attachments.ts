import type { ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/features/auth/request.server.ts";
import { storeImage } from "#app/features/attachments/attachments.server.ts";
import { readPostForm, UPLOAD_FIELD } from "#app/features/attachments/form.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { actForScript } from "#app/lib/form-action.server.ts";
import { Refusal, orRespond } from "#app/lib/refusal.ts";
import { getCommunityForActor } from "#app/features/communities/communities.server.ts";
import { assertAllowed } from "#app/features/auth/policy.ts";

/**
 * Upload one image ahead of its post (the JavaScript path: preview and progress while the
 * member writes). It stays pending, seen only by its uploader, until a post takes it.
 */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const slug = params.slug ?? "";
  // Who may upload is decided before the body is read.
  const view = await orRespond(getCommunityForActor(getDb(), user, slug));
  await orRespond(Promise.resolve().then(() => assertAllowed(user, "community.participate", view)));
  // Answered as JSON, the refusal's message included: the uploader shows it beside the image.
  return actForScript(async () => {
    const form = await readPostForm(request);
    const file = form.files.find((f) => f.field === UPLOAD_FIELD);
    if (!file) throw new Refusal(400, "Choose an image to upload.");
    return { image: await storeImage(getDb(), user, slug, file.bytes) };
  });
}

/** Nothing to show: uploads are only ever sent. */
export function loader() {
  throw new Response("We could not find that page.", { status: 404 });
}
