import type { QdpxExport } from "./refi-qda.server.ts";

/** A .qdpx as a download: a zip, never sniffed, never cached. */
export function qdpxResponse(qdpx: QdpxExport): Response {
  return new Response(Buffer.from(qdpx.bytes), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${qdpx.filename}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
}
