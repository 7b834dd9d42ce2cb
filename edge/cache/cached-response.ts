/**
 * One stored anonymous read: the origin's 200 as bytes, plus the two instants that decide
 * whether it may still be served. They are kept apart on purpose: freshness runs on the
 * edge's clock (which tests may skew), purge checks on the wall clock every isolate shares.
 */
export interface CachedResponse {
  /** The origin's headers, minus those that describe one transfer (length, encoding). */
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
  /** The route's cache tags for this body, as its policy declares them. */
  tags: string[];
  /** Edge-clock ms at which its origin request started: its age counts from here. */
  storedAt: number;
  /** Wall-clock ms at which its origin request started: a purge at or after it voids the entry. */
  fetchedAt: number;
}

export type CacheStatus = "HIT" | "MISS" | "STALE" | "BYPASS";

export const cacheStatusHeader = "x-cache";

/** Whole seconds since the entry was fetched, never negative (a skewed test clock can go back). */
export const ageSeconds = (entry: CachedResponse, now: number): number =>
  Math.max(0, Math.floor((now - entry.storedAt) / 1_000));

/** An answer to one client from a stored entry, saying how it was served and how old it is. */
export type CachedAnswer = (entry: CachedResponse, status: CacheStatus, now: number) => Response;

const withServingHeaders = (answer: Response, entry: CachedResponse, status: CacheStatus, now: number) => {
  answer.headers.set(cacheStatusHeader, status);
  answer.headers.set("age", String(ageSeconds(entry, now)));
  return answer;
};

/** A Response built from the stored bytes, which the Fetch standard copies into it. */
const freshAnswer: CachedAnswer = (entry, status, now) =>
  withServingHeaders(new Response(entry.body, { status: 200, headers: entry.headers }), entry, status, now);

/**
 * One Response per entry, built (and its headers checked) once; every answer is a clone of
 * it. A clone shares the stored bytes instead of copying them and skips re-validating every
 * stored header, which is most of what building a Response from scratch costs (0.4 against
 * 6 µs on Deno); only the headers an answer adds are checked. Nobody reads a template's
 * body, so it stays whole.
 */
const templateAnswers = (): CachedAnswer => {
  const templates = new WeakMap<CachedResponse, Response>();
  const templateOf = (entry: CachedResponse) => {
    let template = templates.get(entry);
    if (!template) {
      template = new Response(entry.body, { status: 200, headers: entry.headers });
      templates.set(entry, template);
    }
    return template;
  };
  return (entry, status, now) => withServingHeaders(templateOf(entry).clone(), entry, status, now);
};

/**
 * Templates where the runtime lets a Response outlive the request that made it (Deno).
 * workerd does not: a body made in one request's handler cannot be read in another's
 * ("Cannot perform I/O on behalf of a different request"), so on Workers every answer is
 * built afresh from the bytes.
 */
export const createCachedAnswer = (options: { responsesOutliveRequests: boolean }): CachedAnswer =>
  options.responsesOutliveRequests ? templateAnswers() : freshAnswer;
