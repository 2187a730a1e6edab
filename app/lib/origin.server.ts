import { env } from "./env.server.ts";

/** The public origin when there is no request to ask (background jobs, notifications): APP_ORIGIN, else localhost on PORT. */
export function publicOrigin(): string {
  const config = env();
  return config.APP_ORIGIN ?? `http://localhost:${config.PORT}`;
}

/** The site's public origin, for links in emails: APP_ORIGIN, else the request's own. */
export function siteOrigin(request: Request): string {
  return env().APP_ORIGIN ?? new URL(request.url).origin;
}
