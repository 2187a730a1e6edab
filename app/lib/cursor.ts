import { sql, type RawBuilder, type SqlBool } from "kysely";

/** A position in a list paged by key: the (time or score, id) of the last row shown. */
export interface Cursor {
  at: number;
  id: string;
}

/** "1763900000000.abc" from a query string, or undefined for anything else. */
export function parseCursor(value: string | null): Cursor | undefined {
  const match = value ? /^(\d{1,15})\.([\w-]{0,64})$/.exec(value) : null;
  return match ? { at: Number(match[1]), id: match[2]! } : undefined;
}

export const formatCursor = (key: Cursor) => `${key.at}.${key.id}`;

/**
 * The rows past a cursor in a list ordered by (key, id), as a where clause: "<" for the
 * rows after it in descending order, ">" in ascending order; "<=" and ">=" also take the
 * cursor's own row. The key is a column or a computed sort value.
 */
export function pastCursor(key: string | RawBuilder<number>, id: string, cursor: Cursor, op: "<" | ">" | "<=" | ">="): RawBuilder<SqlBool> {
  const sortKey = typeof key === "string" ? sql.ref(key) : key;
  return sql<SqlBool>`(${sortKey} ${sql.raw(op[0]!)} ${cursor.at} or (${sortKey} = ${cursor.at} and ${sql.ref(id)} ${sql.raw(op)} ${cursor.id}))`;
}
