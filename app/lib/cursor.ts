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
