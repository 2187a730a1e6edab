/**
 * A write that was refused for a reason a person can understand: the use case throws it,
 * the route shows its message, and nothing was written.
 */
export class Refusal extends Error {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: 400 | 403 | 404 | 409 | 413 | 422 | 429, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = "Refusal";
    this.status = status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** "15 minutes", "1 minute", "30 seconds": for messages that say when to try again. */
export function describeWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** Run a use case from a loader: a Refusal becomes the HTTP answer (404, 403…) with its message. */
export async function orRespond<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof Refusal) throw new Response(error.message, { status: error.status });
    throw error;
  }
}
