import SQLite from "better-sqlite3";
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, sql } from "kysely";
import type { DatabaseConnection, SqliteDialectConfig } from "kysely";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import pg from "pg";
import type { Database } from "./schema.ts";

export type Engine = "sqlite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, for messages (a file path, or the PostgreSQL URL without password). */
  location: string;
  /** PostgreSQL only: the schema Cohort's tables live in. */
  schema?: string;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_PATH = "data/cohort.db";

/** Which engine a DATABASE_URL selects: postgres:// URLs PostgreSQL, anything else a SQLite file. */
export function engineFor(url: string | undefined): Engine {
  return url && /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

// PostgreSQL returns bigint (int8) as a string to avoid precision loss; our bigints are
// Unix milliseconds and counts, far below 2^53, so numbers are exact and keep both
// engines returning the same types.
pg.types.setTypeParser(20, (value) => Number(value));

/**
 * Kysely's SQLite driver opens transactions with a plain BEGIN, which takes the write lock
 * only at the first write; with several processes a reader that later writes can then fail
 * with SQLITE_BUSY without waiting. BEGIN IMMEDIATE takes the lock up front, and every
 * statement refused as busy is tried again (whileBusy).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    return {
      executeQuery: (query) => whileBusy(() => connection.executeQuery(query)),
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * Another process holds the write lock: try again shortly. SQLite's own busy handler would
 * sleep inside the call and stop this process's event loop (every other request with it);
 * waiting here lets the process serve reads meanwhile. A statement refused as busy did
 * nothing, so running it again is safe.
 */
async function whileBusy<T>(run: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}

class CohortSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Kysely prepares every query afresh; with better-sqlite3, preparing costs about as much as
 * running an indexed query. Statements are kept by their SQL text (bounded, oldest out) and
 * reused unless one is still being iterated.
 */
function reusePreparedStatements(database: SQLite.Database, limit = 500): void {
  const prepare = database.prepare.bind(database);
  const statements = new Map<string, SQLite.Statement>();
  database.prepare = ((source: string) => {
    const kept = statements.get(source);
    if (kept && !kept.busy) return kept;
    const statement = prepare(source);
    if (!kept) {
      if (statements.size >= limit) statements.delete(statements.keys().next().value!);
      statements.set(source, statement);
    }
    return statement;
  }) as typeof database.prepare;
}

export function openSqlite(path: string): DatabaseHandle {
  const file = path.startsWith("file:") ? path.slice(5) : path;
  if (file !== ":memory:") mkdirSync(dirname(resolve(file)), { recursive: true });
  const database = new SQLite(file);
  // WAL lets readers run beside the writer. synchronous=NORMAL: a commit is in the OS's
  // hands when acknowledged, so a killed process loses nothing; the last commits before a
  // power cut could be lost (docs/decisions/012-performance-budgets.md).
  database.pragma("journal_mode = WAL");
  database.pragma("synchronous = NORMAL");
  database.pragma("foreign_keys = ON");
  // Waiting for another process's write lock happens in whileBusy, not inside SQLite.
  database.pragma("busy_timeout = 0");
  reusePreparedStatements(database);
  const db = new Kysely<Database>({ dialect: new CohortSqliteDialect({ database }) });
  return { db, engine: "sqlite", location: file, close: () => db.destroy() };
}

/**
 * Kysely sends every query as an unnamed statement, which PostgreSQL parses and plans anew
 * each time: on a thread page that was three quarters of the database server's CPU, on the
 * same cores as the app. A name per SQL text lets each connection parse once and keep the
 * plan. Queries with parameters are named (the rest go through the simple protocol, as
 * before); names are given to the first `limit` texts a process sees (each connection holds at
 * most that many statements); later texts run unnamed, as before.
 *
 * A statement kept by a connection fails once ("cached plan must not change result type")
 * if a table it reads changes shape while the app runs; such a connection is closed rather
 * than returned to the pool, so the next query prepares afresh. Migrations run before the
 * app serves (server/main.ts), so this happens only when a schema is changed under it.
 */
export function nameStatements(pool: pg.Pool, limit = 300): pg.Pool {
  const names = new Map<string, string>();
  const named = new WeakSet<pg.PoolClient>();
  const stale = new WeakSet<pg.PoolClient>();
  const nameFor = (text: string): string | undefined => {
    let name = names.get(text);
    if (!name && names.size < limit) names.set(text, (name = `cohort_${names.size}`));
    return name;
  };
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  pool.connect = (async () => {
    const client = await connect();
    // The pool gives each lending a new release function; a connection that met a changed
    // table is closed when it comes back.
    const release = client.release.bind(client);
    client.release = ((destroy?: boolean | Error) => release(destroy ?? stale.has(client))) as typeof client.release;
    if (named.has(client)) return client;
    named.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
    client.query = ((text: unknown, values?: unknown[]) => {
      // Without parameters pg uses the simple protocol, which also carries migrations'
      // scripts of several commands; a prepared statement holds one.
      const name = typeof text === "string" && Array.isArray(values) && values.length > 0 ? nameFor(text) : undefined;
      if (!name) return query(text, values);
      return query({ name, text, values }).catch((error: { code?: string }) => {
        if (error.code === "0A000") stale.add(client);
        throw error;
      });
    }) as typeof client.query;
    return client;
  }) as typeof pool.connect;
  return pool;
}

export function openPostgres(url: string, options: { schema?: string; max?: number } = {}): DatabaseHandle {
  const pool = nameStatements(
    new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      // A per-schema search path lets tests run in a throwaway schema of a shared database.
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    }),
  );
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = "";
  return { db, engine: "postgres", location: safe.toString(), schema: options.schema ?? "public", close: () => db.destroy() };
}

/** Open the database DATABASE_URL names (SQLite at data/cohort.db when unset). */
export function openDatabase(url: string | undefined = process.env.DATABASE_URL): DatabaseHandle {
  return engineFor(url) === "postgres" ? openPostgres(url!) : openSqlite(url || DEFAULT_SQLITE_PATH);
}

/** A cheap round trip, for /healthz. */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
