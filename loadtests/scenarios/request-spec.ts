/**
 * The vocabulary both load drivers share: a scenario describes requests as plain data,
 * and a driver (k6, or the native autocannon runner) sends them and reports responses.
 */

/** One HTTP request, ready to send against a base URL. */
export interface RequestSpec {
  /** The label the per-request breakdown is keyed by (a mix entry, e.g. `listArticlesByTag`). */
  name: string;
  /** The API route it exercises, as named in shared/routes/route-table.ts. */
  route: string;
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path and query under the base URL, already percent-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface ResponseLike {
  /** 0 when no HTTP response arrived (refused, reset, timed out). */
  status: number;
  body: string;
}

/** A source of uniform numbers in [0, 1): Math.random in the drivers, a seeded one in tests. */
export type Random = () => number;

/**
 * A request flow that needs responses to continue (data discovery, user registration):
 * it yields requests and receives their responses, so k6 can drive it with its synchronous
 * `http.request` and Node with `fetch`, from the same code.
 */
export type RequestFlow<T> = Generator<RequestSpec, T, ResponseLike>;

export const runFlowSync = <T>(flow: RequestFlow<T>, send: (request: RequestSpec) => ResponseLike): T => {
  let step = flow.next();
  while (!step.done) step = flow.next(send(step.value));
  return step.value;
};

export const runFlow = async <T>(
  flow: RequestFlow<T>,
  send: (request: RequestSpec) => Promise<ResponseLike>,
): Promise<T> => {
  let step = flow.next();
  while (!step.done) step = flow.next(await send(step.value));
  return step.value;
};
