import { Writable } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";

/**
 * The same document strategy as Cohort's app/entry.server.tsx (render it all, send it in one
 * write with its length), so the reference differs from Cohort only in what the page does.
 * Having its own entry also keeps Remix from installing `isbot` for its default one.
 */
export default function handleRequest(request: Request, status: number, headers: Headers, remixContext: EntryContext) {
  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      onAllReady() {
        const chunks: Buffer[] = [];
        pipe(
          new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              const html = Buffer.concat(chunks);
              headers.set("Content-Type", "text/html; charset=utf-8");
              headers.set("Content-Length", String(html.length));
              resolve(new Response(html, { headers, status }));
              done();
            },
          }),
        );
      },
      onShellError: reject,
      onError(error: unknown) {
        status = 500;
        console.error(error);
      },
    });
    setTimeout(abort, 6000);
  });
}
