/**
 * How each route may be cached. Routes declare it next to their schemas; the origin turns
 * it into `Cache-Control`/`Cache-Tag` headers and the edge reads the same declaration, so
 * the tiers cannot disagree about what is cacheable or for how long.
 */
export interface ReadTagContext<Body> {
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  response: Body;
}

export interface WriteTagContext<Request, Body> {
  params: Record<string, string>;
  request: Request;
  /** `undefined` for 204 responses. */
  response: Body | undefined;
  /** Facts only the handler knows, such as a username before a rename. */
  subjects: CacheSubjects;
}

export interface CacheSubjects {
  actorUsername?: string;
  previousUsername?: string;
}

/** Cacheable for anonymous requests; authenticated requests always bypass shared caches. */
export interface CacheableRead<Body = unknown> {
  kind: "cacheable";
  /** Seconds a shared cache may serve it without asking the origin. */
  sMaxAge: number;
  /** Seconds past freshness it may be served while one background refresh runs. */
  staleWhileRevalidate: number;
  /** Seconds past freshness it may be served when the origin fails. */
  staleIfError: number;
  tags(context: ReadTagContext<Body>): string[];
}

export interface PrivateRead {
  kind: "private";
}

export interface Write<Request = unknown, Body = unknown> {
  kind: "write";
  invalidates(context: WriteTagContext<Request, Body>): string[];
}

export type CachePolicy = CacheableRead | PrivateRead | Write;

export const privateRead: PrivateRead = { kind: "private" };

export const cacheableRead = <Body>(policy: Omit<CacheableRead<Body>, "kind">): CacheableRead<Body> => ({
  kind: "cacheable",
  ...policy,
});

export const write = <Request, Body>(invalidates: Write<Request, Body>["invalidates"]): Write<Request, Body> => ({
  kind: "write",
  invalidates,
});

/** Response headers a cacheable read carries to shared caches (edge, CDN). */
export const cacheableReadHeaders = (policy: CacheableRead, tags: readonly string[]): Record<string, string> => ({
  // max-age=0: browsers revalidate, so a client always sees its own writes.
  "cache-control": `public, max-age=0, s-maxage=${policy.sMaxAge}, stale-while-revalidate=${policy.staleWhileRevalidate}, stale-if-error=${policy.staleIfError}`,
  "cache-tag": formatCacheTags(tags),
});

export const uncacheableHeaders: Record<string, string> = { "cache-control": "private, no-store" };

/** The header a write's response carries: the tags every cache must now drop. */
export const purgeTagsHeader = "x-purge-tags";

/**
 * Tags travel in headers, which must stay printable ASCII, and are comma separated:
 * percent-encoding keeps unicode slugs and commas in usernames unambiguous.
 */
export const formatCacheTags = (tags: readonly string[]): string =>
  [...new Set(tags)].map((tag) => encodeURIComponent(tag).replaceAll("%3A", ":")).join(",");

export const parseCacheTags = (header: string | null | undefined): string[] =>
  header
    ? header
        .split(",")
        .filter(Boolean)
        .map((tag) => decodeURIComponent(tag))
    : [];
