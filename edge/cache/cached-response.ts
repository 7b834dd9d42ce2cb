/**
 * One stored anonymous read: the origin's 200 as bytes, plus the two instants that decide
 * whether it may still be served. They are kept apart on purpose: freshness runs on the
 * edge's clock (which tests may skew), purge checks on the wall clock every isolate shares.
 */
export interface CachedResponse {
  /** The origin's headers, minus those that describe one transfer (length, encoding). */
  headers: [string, string][];
  body: Uint8Array;
  /** The route's cache tags for this body, as its policy declares them. */
  tags: string[];
  /** Edge-clock ms at which its origin request started: its age counts from here. */
  storedAt: number;
  /** Wall-clock ms at which its origin request started: a purge at or after it voids the entry. */
  fetchedAt: number;
}

/** A response to one client from a stored entry; each gets its own copy of the body. */
export const responseFrom = (entry: CachedResponse, extraHeaders: Record<string, string>): Response => {
  const headers = new Headers(entry.headers);
  for (const [name, value] of Object.entries(extraHeaders)) headers.set(name, value);
  return new Response(entry.body.slice(), { status: 200, headers });
};

/** Whole seconds since the entry was fetched, never negative (a skewed test clock can go back). */
export const ageSeconds = (entry: CachedResponse, now: number): number =>
  Math.max(0, Math.floor((now - entry.storedAt) / 1_000));
