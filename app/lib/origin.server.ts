import { env } from "./env.server.ts";

/** The site's public origin, for links in emails: APP_ORIGIN, else the request's own. */
export function siteOrigin(request: Request): string {
  return env().APP_ORIGIN ?? new URL(request.url).origin;
}
