import { Readable } from "node:stream";

/**
 * A body read as far as its second piece: all of it in one Buffer if it ended there,
 * otherwise a stream of the whole (the pieces already read first), which cancels the source
 * if the reader goes away.
 */
export async function wholeOrStream(body: ReadableStream<Uint8Array>): Promise<Buffer | Readable> {
  const reader = body.getReader();
  const first = await reader.read();
  if (first.done) return Buffer.alloc(0);
  const second = await reader.read();
  if (second.done) return Buffer.from(first.value.buffer, first.value.byteOffset, first.value.byteLength);
  async function* pieces() {
    try {
      yield first.value!;
      yield second.value!;
      for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }
  return Readable.from(pieces(), { objectMode: false });
}

