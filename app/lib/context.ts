import type { SessionUser } from "#app/features/auth/session.server.ts";

/** What the HTTP server hands every loader and action (see server/app.ts). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The per-request nonce of the Content-Security-Policy. */
    cspNonce: string;
    /** The client's address: the socket's, or the proxy's word when TRUST_PROXY is set. */
    clientAddress: string;
    /** The signed-in user, resolved at most once per request (see features/auth/request.server.ts). */
    currentUser?: Promise<SessionUser | null>;
  }
}

export {};
