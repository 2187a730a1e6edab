import { data } from "@remix-run/node";
import { Refusal } from "./refusal.ts";

/**
 * Run a use case from an action and answer with `then` (usually a redirect). A Refusal
 * becomes `{ error }` with its status, and Retry-After for a 429, for the form to show;
 * a 404 becomes the not-found page.
 */
export async function formAction<T, R>(work: Promise<T>, then: (value: T) => R) {
  try {
    return then(await work);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.status === 404) throw new Response(error.message, { status: 404 });
    const headers: Record<string, string> = error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : {};
    return data({ error: error.message }, { status: error.status, headers });
  }
}

/** A form that did not validate: its messages, joined, with 400. */
export function invalidForm(issues: { message: string }[]) {
  return data({ error: issues.map((issue) => issue.message).join(" ") }, { status: 400 });
}
