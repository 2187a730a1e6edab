/** A member's segment from their membership attributes (JSON set on invitation), or null. */
export function segmentOf(attributes: string | null): string | null {
  if (!attributes) return null;
  try {
    const segment = (JSON.parse(attributes) as Record<string, unknown>).segment;
    return typeof segment === "string" && segment ? segment : null;
  } catch {
    return null;
  }
}
