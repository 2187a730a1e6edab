/**
 * What the HTTP layer decides about a request before Remix sees it, once for every route
 * (docs/decisions/013): a path whose percent-encoding does not decode gets 400; a body over
 * its limit gets 413 before it is read (by Content-Length) or as soon as it passes the limit
 * (chunked bodies are counted as they stream); a body that is not a form Remix can read
 * (JSON, XML, a multipart body with a missing, wrong or truncated boundary) gets 400, and so
 * does a legacy `?_data=` request (quietly, where Remix would log a stack trace). The
 * body, at most the limit, is handed to Remix from memory (server/app.ts).
 */
import type { IncomingMessage } from "node:http";
import { UPLOAD_BODY_LIMIT, UPLOAD_PATHS } from "#app/features/attachments/limits.ts";

/** Forms are small: a long post is some tens of kilobytes. */
export const FORM_BODY_LIMIT = 1024 * 1024;

/**
 * Routes that take more than a form (uploads), by path, with their limit; only a multipart
 * body gets it. An upload route adds its paths here rather than reading bodies itself.
 */
export const LARGER_BODY_LIMITS: { path: RegExp; limit: number }[] = [{ path: UPLOAD_PATHS, limit: UPLOAD_BODY_LIMIT }];

export function bodyLimitFor(path: string, contentType = ""): number {
  const multipart = /^multipart\/form-data/i.test(contentType);
  return (multipart && LARGER_BODY_LIMITS.find((l) => l.path.test(path))?.limit) || FORM_BODY_LIMIT;
}

const FORM_TYPES = new Set(["application/x-www-form-urlencoded", "multipart/form-data"]);

/** A request turned away before Remix, with the short plain-text answer it gets. */
export interface Refusal {
  status: 400 | 413;
  message: string;
}

/** Whether every segment of a path decodes (Remix decodes it to match routes; "/c/%FF" throws there). */
export function isDecodablePath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** The path part of a request target, without its query. */
export function pathOf(target: string): string {
  const q = target.search(/[?#]/);
  return q === -1 ? target : target.slice(0, q);
}

/**
 * Refusals decided by the request target alone: a path that does not decode, and Remix's
 * old data requests (this app fetches data by /path.data; Remix logs a warning with a stack
 * trace for every ?_data request, a 500 for some, so anyone could fill the logs).
 */
export function refuseTarget(target: string): Refusal | null {
  const path = pathOf(target);
  if (!isDecodablePath(path)) return { status: 400, message: "Bad request: the address has broken percent-encoding." };
  const query = target.slice(path.length).replace(/#.*$/, "");
  if (query.length > 1 && new URLSearchParams(query).has("_data")) {
    return { status: 400, message: "Bad request: this site does not answer ?_data requests." };
  }
  return null;
}

/**
 * Read a request's body into memory, refusing it past its path's limit or when it is not a
 * form Remix can read. The rest of a refused body is read and dropped (never kept) so the
 * client hears the answer; a body still arriving after 5 s has its connection closed.
 */
export async function readFormBody(req: IncomingMessage, path: string): Promise<Buffer | Refusal> {
  const limit = bodyLimitFor(path, header(req, "content-type"));
  const body = await readBody(req, limit);
  if (body === null) {
    drop(req);
    return { status: 413, message: `Request body too large: the limit is ${Math.round(limit / 1024)} KB.` };
  }
  if (body.length > 0 && !(await isReadableForm(header(req, "content-type"), body))) {
    return { status: 400, message: "Bad request: send a web form (application/x-www-form-urlencoded or multipart/form-data with a valid boundary)." };
  }
  return body;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body, or null once it is known to pass the limit (by Content-Length, or as it streams). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | null) => {
      if (done) return;
      done = true;
      req.off("data", onData);
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        return finish(null);
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => finish(Buffer.concat(chunks, size)));
    req.once("error", () => finish(null));
  });
}

/** Read and discard what is left of a refused body; close the socket if it goes on past a few seconds. */
function drop(req: IncomingMessage): void {
  req.resume();
  const timer = setTimeout(() => req.socket.destroy(), 5000);
  timer.unref();
  req.once("end", () => clearTimeout(timer));
}

/** Whether a non-empty body is a form Remix can parse; multipart is parsed once here to find out. */
export async function isReadableForm(contentType: string | undefined, body: Buffer): Promise<boolean> {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!FORM_TYPES.has(type)) return false;
  if (type !== "multipart/form-data") return true;
  try {
    await new Response(new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length), { headers: { "Content-Type": contentType! } }).formData();
    return true;
  } catch {
    return false;
  }
}
