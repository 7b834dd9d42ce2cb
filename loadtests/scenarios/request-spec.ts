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

/**
 * A set-up request is sent again when the system answers "unavailable, retry later" (503),
 * or, for a read, not at all: a run that starts while a part of the stack is coming back
 * (the bench restarts Postgres between cells) has not failed. Up to `attempts` tries,
 * `pauseSeconds` apart; then the last answer stands. A write that got no answer is not sent
 * again: it may have been applied.
 */
export const setupRetries = { attempts: 5, pauseSeconds: 1 } as const;

const worthRetrying = (request: RequestSpec, response: ResponseLike) =>
  response.status === 503 || (response.status === 0 && request.method === "GET");

export const retryingSync =
  (send: (request: RequestSpec) => ResponseLike, pause: (seconds: number) => void) =>
  (request: RequestSpec): ResponseLike => {
    let response = send(request);
    for (let attempt = 1; attempt < setupRetries.attempts && worthRetrying(request, response); attempt++) {
      pause(setupRetries.pauseSeconds);
      response = send(request);
    }
    return response;
  };

export const retrying =
  (send: (request: RequestSpec) => Promise<ResponseLike>, pause: (seconds: number) => Promise<void>) =>
  async (request: RequestSpec): Promise<ResponseLike> => {
    let response = await send(request);
    for (let attempt = 1; attempt < setupRetries.attempts && worthRetrying(request, response); attempt++) {
      await pause(setupRetries.pauseSeconds);
      response = await send(request);
    }
    return response;
  };
