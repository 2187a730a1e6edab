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

/**
 * Count one attempt against every limit BEFORE the work it guards (a password check, a
 * reset email), so that however many requests arrive at once, no more than `max` of them
 * get through a window. Each limit is taken by one conditional upsert that refuses once the
 * window is full (`… on conflict do update … where hits < max returning`), on SQLite and
 * PostgreSQL alike; when a later limit refuses, the earlier ones are given back, so a refused
 * attempt counts nowhere. Give an attempt back with `refundAttempt` when it should not count
 * (a successful sign-in). See docs/decisions/013.
 */
export async function reserveAttempt(db: Kysely<Database>, limits: Limit[]): Promise<LimitState> {
  const taken: Limit[] = [];
  for (const limit of limits) {
    const at = now();
    const expired = at - limit.windowMs;
    const row = await db
      .insertInto("rate_limits")
      .values({ bucket: limit.bucket, hits: 1, window_start: at })
      .onConflict((conflict) =>
        conflict
          .column("bucket")
          .doUpdateSet({
            hits: sql<number>`case when rate_limits.window_start <= ${expired} then 1 else rate_limits.hits + 1 end`,
            window_start: sql<number>`case when rate_limits.window_start <= ${expired} then ${at} else rate_limits.window_start end`,
          })
          .where((eb) => eb.or([eb("rate_limits.window_start", "<=", expired), eb("rate_limits.hits", "<", limit.max)])),
      )
      .returning(["hits"])
      .executeTakeFirst();
    if (!row) {
      await refundAttempt(db, taken);
      const state = await checkLimit(db, limit);
      return { blocked: true, retryAfterMs: Math.max(state.retryAfterMs, 1000) };
    }
    taken.push(limit);
  }
  return { blocked: false, retryAfterMs: 0 };
}

/** Give back one attempt taken by `reserveAttempt` (never below zero). */
export async function refundAttempt(db: Kysely<Database>, limits: Limit[]): Promise<void> {
  for (const limit of limits) {
    await db
      .updateTable("rate_limits")
      .set({ hits: sql<number>`hits - 1` })
      .where("bucket", "=", limit.bucket)
      .where("hits", ">", 0)
      .execute();
  }
}

export async function clearLimit(db: Kysely<Database>, bucket: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("bucket", "=", bucket).execute();
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
