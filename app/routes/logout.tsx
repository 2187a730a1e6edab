import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "#app/features/auth/request.server.ts";
import { recordSecurityEvent } from "#app/features/auth/security-events.server.ts";
import { blankSessionCookie, endSession, readSessionToken } from "#app/features/auth/session.server.ts";
import { getDb } from "#app/lib/db.server.ts";
import { act } from "#app/lib/form-action.server.ts";

// Signing out is a POST (a link could be followed by a prefetcher); GET just goes home.
export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const db = getDb();
  return act(async () => {
    const token = readSessionToken(request);
    if (token) {
      const user = await getCurrentUser(request, context);
      await endSession(db, token);
      if (user) await recordSecurityEvent(db, { kind: "sign-out", userId: user.id, clientAddress: context.clientAddress });
    }
    return redirect("/", { headers: { "Set-Cookie": blankSessionCookie(db, request) } });
  });
}
