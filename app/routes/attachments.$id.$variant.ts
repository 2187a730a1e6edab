import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "#app/features/auth/request.server.ts";
import { openImage } from "#app/features/discussions/post-images.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { orRespond } from "#app/lib/refusal.ts";

/**
 * An attachment's file, for a reader of its post only (everyone else, signed in or not, gets
 * the same 404 as for an id that never existed). The type is the one the processor wrote,
 * never sniffed (every response carries nosniff, app/lib/security.ts); cached privately by
 * the reader's browser only.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const variant = params.variant;
  if (variant !== "full" && variant !== "thumb") throw new Response("We could not find that image.", { status: 404 });
  const user = await getCurrentUser(request, context);
  const { file, contentType } = await orRespond(openImage(getDb(), user, params.id ?? "", variant));
  return new Response(file.body, {
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(file.size),
      "Content-Disposition": `inline; filename="${params.id}.${variant === "thumb" ? "webp" : contentType.split("/")[1]}"`,
      // The bytes behind an id never change; who may read them can, so only the reader's own browser keeps them.
      "Cache-Control": "private, max-age=2592000, immutable",
      "Cross-Origin-Resource-Policy": "same-origin",
    },
  });
}
