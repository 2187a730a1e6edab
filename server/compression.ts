/**
 * Gzip for text answers, where no proxy in front does it (COMPRESSION=off leaves it to the
 * proxy). The same rules as the `compression` middleware it replaces: compressible types
 * only, bodies of at least a kilobyte, nothing already encoded or marked no-transform.
 */
import { promisify } from "node:util";
import { gzip as gzipCallback } from "node:zlib";

const gzipAsync = promisify(gzipCallback);

export const COMPRESSION_THRESHOLD = 1024;

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|x-javascript|manifest\+json)|image\/svg\+xml)/i;

/** Whether a response of this type may be compressed (so it varies with Accept-Encoding). */
export function isCompressible(contentType: string | null | undefined): boolean {
  return !!contentType && COMPRESSIBLE.test(contentType);
}

/** Whether the client takes gzip: listed in Accept-Encoding (or as *) without q=0. */
export function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const value = Array.isArray(acceptEncoding) ? acceptEncoding.join(",") : (acceptEncoding ?? "");
  for (const part of value.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (name !== "gzip" && name !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  }
  return false;
}

/** Whether this response, for this request, should be sent gzipped; `length` is the body's size when known without a Content-Length. */
export function shouldCompress(method: string, acceptEncoding: string | string[] | undefined, status: number, headers: Headers, length: number | null = null): boolean {
  if (method === "HEAD" || status === 204 || status === 304) return false;
  if (headers.has("content-encoding") || /no-transform/i.test(headers.get("cache-control") ?? "")) return false;
  if (!isCompressible(headers.get("content-type"))) return false;
  const size = length ?? (headers.has("content-length") ? Number(headers.get("content-length")) : null);
  if (size !== null && size < COMPRESSION_THRESHOLD) return false;
  return acceptsGzip(acceptEncoding);
}

/** Gzip a whole body off the main thread (zlib's thread pool). */
export function gzip(body: Uint8Array): Promise<Buffer> {
  return gzipAsync(body);
}
