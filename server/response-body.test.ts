import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, test } from "vitest";
import { wholeOrStream } from "./response-body.ts";

const encoder = new TextEncoder();

describe("a response body sent whole or streamed", () => {
  test("a body in one piece (Response.json, a data request) comes back whole, to send with its length", async () => {
    const body = await wholeOrStream(Response.json({ status: "ok" }).body!);
    expect(Buffer.isBuffer(body)).toBe(true);
    expect(body.toString()).toBe('{"status":"ok"}');
    const empty = await wholeOrStream(new Response("").body ?? new ReadableStream({ start: (c) => c.close() }));
    expect(Buffer.isBuffer(empty) && empty.length).toBe(0);
  });

  test("a longer stream comes back as a stream of all of it, the pieces already read first and in order", async () => {
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of ["a,b\n", "1,2\n", "3,4\n", "5,6\n"]) controller.enqueue(encoder.encode(piece));
        controller.close();
      },
    });
    const body = await wholeOrStream(source);
    expect(body).toBeInstanceOf(Readable);
    expect(await text(body as Readable)).toBe("a,b\n1,2\n3,4\n5,6\n");
  });

  test("when the reader goes away mid-stream, the source is cancelled (an export stops producing)", async () => {
    let cancelled = false;
    let n = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(encoder.encode(`row ${n++}\n`));
      },
      cancel() {
        cancelled = true;
      },
    });
    const body = (await wholeOrStream(source)) as Readable;
    for await (const piece of body) {
      expect(String(piece)).toMatch(/^row \d+\n$/);
      if (n > 5) break; // leaving the loop destroys the stream, as a closed connection does
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(cancelled).toBe(true);
  });
});
