import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data } from "@remix-run/node";
import type { z } from "./zod.ts";
import { Refusal } from "./refusal.ts";

/**
 * The one path every route action takes (docs/decisions/026): the route reads who is
 * asking, then hands its work to `act` (or `actOn` when the form names an intent). Inside,
 * input is read with `parseForm` (a plain form) or `withSubmission` (a conform form, whose
 * field errors go back to the fields), a use case runs, and the route answers. A Refusal
 * thrown anywhere in that work is answered here and nowhere else:
 *   - 404 throws the not-found page;
 *   - any other status answers `{ error }` (or the conform form's own errors) with that
 *     status, and Retry-After when the refusal says when to try again (a 429 from a limit;
 *     a route's `headers = passRetryAfter` keeps it on the document).
 */

/** An action's work: a Refusal becomes `{ error }` with its status (a 404, the not-found page). */
export async function act<R>(work: () => Promise<R>) {
  try {
    return await work();
  } catch (error) {
    const refusal = refused(error);
    return data({ error: refusal.message }, refusalInit(refusal));
  }
}

/** Said to a form whose `intent` this page does not handle: a forged or stale form, never a default. */
export const UNKNOWN_INTENT = "This page cannot do that; reload it and try again.";

/**
 * An action whose form names what to do (its `intent` field, passed in): each intent's work
 * runs as `act` runs it, and an intent not in the table is refused with 400.
 */
export function actOn<Intents extends Record<string, () => Promise<unknown>>>(intent: FormDataEntryValue | null, intents: Intents) {
  const work = typeof intent === "string" && Object.hasOwn(intents, intent) ? intents[intent] : undefined;
  return act(async () => {
    if (!work) throw new Refusal(400, UNKNOWN_INTENT);
    return (await work()) as Awaited<ReturnType<Intents[keyof Intents]>>;
  });
}

/** Read a plain form (or its fields as an object) with a zod schema; a form that does not fit is refused (400) with its messages. */
export function parseForm<Schema extends z.ZodType>(schema: Schema, input: FormData | Record<string, unknown>): z.output<Schema> {
  const parsed = schema.safeParse(input instanceof FormData ? Object.fromEntries(input) : input);
  if (!parsed.success) throw new Refusal(400, parsed.error.issues.map((issue) => issue.message).join(" "));
  return parsed.data;
}

/**
 * A conform form: its field errors (400), or the use case's refusal as a form error with the
 * refusal's status, go back as `{ result, ...failed }` for `useForm`'s `lastResult`; fields
 * named in `hideFields` (passwords) are never sent back. On success `run` answers.
 */
export async function withSubmission<Schema extends z.ZodType, R, Failed extends object = object>(
  form: FormData,
  schema: Schema,
  run: (value: z.output<Schema>, submission: Submission<z.input<Schema>, string[], z.output<Schema>>) => Promise<R>,
  options: { hideFields?: string[]; failed?: Failed } = {},
) {
  const { hideFields, failed } = options;
  const submission = parseWithZod(form, { schema });
  if (submission.status !== "success") return data({ ...(failed as Failed), result: submission.reply({ hideFields }) }, { status: 400 });
  try {
    return await run(submission.value, submission);
  } catch (error) {
    const refusal = refused(error);
    return data({ ...(failed as Failed), result: submission.reply({ formErrors: [refusal.message], hideFields }) }, refusalInit(refusal));
  }
}

/**
 * A resource route that answers script (an upload) with JSON: the same refusals as `act`,
 * as a JSON Response, a 404 included (the script shows the message; there is no page).
 */
export async function actForScript(work: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await work());
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return Response.json({ error: error.message }, refusalInit(error));
  }
}

/** The Refusal to answer; a 404 is thrown as the not-found page, and anything else is not ours to answer. */
function refused(error: unknown): Refusal {
  if (!(error instanceof Refusal)) throw error;
  if (error.status === 404) throw new Response(error.message, { status: 404 });
  return error;
}

function refusalInit(refusal: Refusal): ResponseInit {
  const headers: Record<string, string> = refusal.retryAfterSeconds ? { "Retry-After": String(refusal.retryAfterSeconds) } : {};
  return { status: refusal.status, headers };
}
