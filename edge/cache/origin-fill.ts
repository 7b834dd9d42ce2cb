import type { CacheableRead } from "../../shared/http/cache-policy.ts";
import type { OriginClient, RequestFacts } from "../http/origin-client.ts";
import type { CachedResponse } from "./cached-response.ts";

/**
 * One origin request for a cacheable read, turned into plain data (bytes and header pairs)
 * that any number of coalesced readers can each build a response from, and, when the
 * answer may be shared, into a cache entry.
 */
export type FillOutcome =
  | {
      kind: "answered";
      status: number;
      headers: [string, string][];
      body: Uint8Array<ArrayBuffer>;
      entry: CachedResponse | undefined;
    }
  | { kind: "unreachable"; error: unknown };

export interface FillRequest {
  pathAndQuery: string;
  policy: CacheableRead;
  params: Record<string, string>;
  facts: RequestFacts;
  /** Edge-clock now: the entry's age counts from here. */
  now: number;
}

/** Headers that describe one transfer, or one request, rather than the content. */
const notStored = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-encoding",
  "content-length",
  "date",
  "x-request-id",
  "server-timing",
  // The origin's own cache outcome for the fill, not for the reads the entry later answers.
  "x-origin-cache",
]);

/** A 200 the origin marked public, with nothing personal in it. Errors are never stored. */
const isShareable = (response: Response) =>
  response.status === 200 &&
  !/\b(private|no-store)\b/i.test(response.headers.get("cache-control") ?? "") &&
  !response.headers.has("set-cookie");

const firstValues = (pathAndQuery: string): Record<string, string> => {
  const query: Record<string, string> = {};
  for (const [name, value] of new URL(pathAndQuery, "http://key.invalid").searchParams) query[name] ??= value;
  return query;
};

export const fillFromOrigin = async (
  origin: OriginClient,
  request: FillRequest,
  onUntaggable: (error: unknown) => void,
): Promise<FillOutcome> => {
  const fetchedAt = Date.now();
  let response: Response;
  let body: Uint8Array<ArrayBuffer>;
  try {
    response = await origin.read(request.pathAndQuery, request.facts);
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    return { kind: "unreachable", error };
  }
  const headers = [...response.headers].filter(([name]) => !notStored.has(name));
  if (!isShareable(response)) return { kind: "answered", status: response.status, headers, body, entry: undefined };
  let tags: string[];
  try {
    tags = request.policy.tags({
      params: request.params,
      query: firstValues(request.pathAndQuery),
      response: JSON.parse(new TextDecoder().decode(body)),
    });
  } catch (error) {
    // A body the route's tag rule cannot read is answered, but never stored untagged.
    onUntaggable(error);
    return { kind: "answered", status: response.status, headers, body, entry: undefined };
  }
  return {
    kind: "answered",
    status: response.status,
    headers,
    body,
    entry: { headers, body, tags, storedAt: request.now, fetchedAt },
  };
};
