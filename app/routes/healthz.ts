import { database, pingDatabase } from "#app/lib/db.server.ts";

/** For load balancers and people: is the app up, and can it reach its database? */
export async function loader() {
  const handle = database();
  const started = performance.now();
  try {
    await pingDatabase();
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    return Response.json(
      { status: "ok", database: { engine: handle.engine, status: "ok", latencyMs } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (error) {
    console.error("healthz: database unreachable", error);
    return Response.json(
      { status: "error", database: { engine: handle.engine, status: "unreachable" } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
