/**
 * Any address no other route claims. Its loader answers 404, so the site's own error page
 * shows it (app/root.tsx) inside the usual frame, signed-in header included, and with a
 * sentence a person can act on instead of the router's "No route matches URL".
 */
export function loader(): never {
  throw new Response("There is no page at this address. The link may be mistyped, or the page may have moved.", { status: 404 });
}

export default function NotFound() {
  return null;
}
