import { sql } from "kysely";
import type { Kysely } from "kysely";
import type { Database } from "#db/schema.ts";
import { now } from "#app/lib/clock.ts";

/**
 * Fixed-window counters kept in the database, so every app process shares them and a
 * restart forgets nothing. A window ends on its own: there is no permanent lockout.
 */
export interface Limit {
  bucket: string;
  max: number;
  windowMs: number;
}

export interface LimitState {
  blocked: boolean;
  /** Milliseconds until the window ends (0 when not blocked). */
  retryAfterMs: number;
}

/** Whether a limit is already reached, without counting this attempt. */
export async function checkLimit(db: Kysely<Database>, limit: Limit): Promise<LimitState> {
  const row = await db
    .selectFrom("rate_limits")
    .select(["hits", "window_start"])
    .where("bucket", "=", limit.bucket)
    .executeTakeFirst();
  return stateOf(row, limit, now());
}

/** Count one hit atomically and say whether the limit is now exceeded. */
export async function hitLimit(db: Kysely<Database>, limit: Limit): Promise<LimitState> {
  const at = now();
  const expired = at - limit.windowMs;
  const row = await db
    .insertInto("rate_limits")
    .values({ bucket: limit.bucket, hits: 1, window_start: at })
    .onConflict((conflict) =>
      conflict.column("bucket").doUpdateSet({
        hits: sql<number>`case when rate_limits.window_start <= ${expired} then 1 else rate_limits.hits + 1 end`,
        window_start: sql<number>`case when rate_limits.window_start <= ${expired} then ${at} else rate_limits.window_start end`,
      }),
    )
    .returning(["hits", "window_start"])
    .executeTakeFirstOrThrow();
  return stateOf({ hits: row.hits - 1, window_start: row.window_start }, limit, at);
}

export async function clearLimit(db: Kysely<Database>, bucket: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("bucket", "=", bucket).execute();
}

/** The first of several limits that is reached, if any. */
export async function firstBlocked(db: Kysely<Database>, limits: Limit[]): Promise<LimitState | null> {
  for (const limit of limits) {
    const state = await checkLimit(db, limit);
    if (state.blocked) return state;
  }
  return null;
}

function stateOf(
  row: { hits: number; window_start: number } | undefined,
  limit: Limit,
  at: number,
): LimitState {
  if (!row || row.window_start <= at - limit.windowMs || row.hits < limit.max) {
    return { blocked: false, retryAfterMs: 0 };
  }
  return { blocked: true, retryAfterMs: row.window_start + limit.windowMs - at };
}
