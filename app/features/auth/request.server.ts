import { redirect, type AppLoadContext } from "@remix-run/node";
import { getDb } from "#app/lib/db.server.ts";
import { decide, type Action, type ResourceArgs } from "./policy.ts";
import { recordSecurityEvent } from "./security-events.server.ts";
import { readSessionToken, validateSession, type SessionUser } from "./session.server.ts";

/** The signed-in user, or null. Resolved once per request however many loaders ask. */
export function getCurrentUser(request: Request, context: AppLoadContext): Promise<SessionUser | null> {
  context.currentUser ??= (async () => {
    const token = readSessionToken(request);
    return token ? validateSession(getDb(), token) : null;
  })();
  return context.currentUser;
}

/** The signed-in user; otherwise a redirect to sign in that comes back here afterwards. */
export async function requireUser(request: Request, context: AppLoadContext): Promise<SessionUser> {
  const user = await getCurrentUser(request, context);
  if (!user) {
    const url = new URL(request.url);
    const back = `${url.pathname}${url.search}`;
    throw redirect(back === "/" ? "/login" : `/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/**
 * The signed-in user, if the policy lets them do this; otherwise a redirect to sign in
 * (anonymous) or 403 (signed in without the right).
 */
export async function requirePermission<A extends Action>(
  request: Request,
  context: AppLoadContext,
  action: A,
  ...resource: ResourceArgs<A>
): Promise<SessionUser> {
  const user = await requireUser(request, context);
  const decision = decide(user, action, ...resource);
  if (!decision.allowed) {
    await recordSecurityEvent(getDb(), {
      kind: "access.denied",
      userId: user.id,
      subject: new URL(request.url).pathname,
      clientAddress: context.clientAddress,
      detail: action,
    });
    throw new Response(decision.message, { status: decision.status });
  }
  return user;
}

/** Redirect signed-in users away from pages meant for visitors (sign in, sign up). */
export async function redirectIfSignedIn(request: Request, context: AppLoadContext, to = "/"): Promise<void> {
  if (await getCurrentUser(request, context)) throw redirect(to);
}
