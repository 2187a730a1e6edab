import type { HeadersFunction } from "@remix-run/node";

/**
 * A route's `headers` export that keeps an action's Retry-After (a 429 from a limit) on the
 * page's response: Remix builds a document's headers from these functions, not from data().
 */
export const passRetryAfter: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
