/** A resource route that renders nothing: the floor of a Remix app on this machine. */
export function loader() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
