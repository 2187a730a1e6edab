/**
 * The one Database type: a type per table, rows as the database holds them.
 * Times are Unix milliseconds (bigint columns); flags are 0/1 integers, so one set of
 * queries serves SQLite and PostgreSQL alike (docs/decisions/002-time-representation.md).
 */
export type GlobalRole = "member" | "moderator" | "product" | "admin";

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: GlobalRole;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the session token; the token itself lives only in the cookie. */
  id: string;
  user_id: string;
  expires_at: number;
  created_at: number;
}

export interface RateLimitsTable {
  bucket: string;
  hits: number;
  window_start: number;
}

export interface SecurityEventsTable {
  id: string;
  at: number;
  kind: string;
  user_id: string | null;
  subject: string | null;
  client_address: string | null;
  detail: string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rate_limits: RateLimitsTable;
  security_events: SecurityEventsTable;
}
