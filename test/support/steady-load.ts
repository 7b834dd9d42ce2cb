/**
 * A steady stream of requests from a fixed number of concurrent clients, recording every
 * outcome, so a fault test can say exactly which requests failed while something broke.
 */
export interface LoadRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Outcome {
  request: LoadRequest;
  /** `undefined` when no response came at all (connection refused or reset). */
  status: number | undefined;
  error?: string;
  startedAt: number;
  endedAt: number;
  headers?: Headers;
}

export interface RunningLoad {
  outcomes: Outcome[];
  stop: () => Promise<Outcome[]>;
}

export const startSteadyLoad = (options: {
  concurrency: number;
  next: (index: number) => LoadRequest;
  timeoutMs?: number;
}): RunningLoad => {
  const outcomes: Outcome[] = [];
  let running = true;
  let sent = 0;
  const client = async () => {
    while (running) {
      const request = options.next(sent++);
      const startedAt = Date.now();
      try {
        const response = await fetch(request.url, {
          method: request.method,
          ...(request.headers ? { headers: request.headers } : {}),
          ...(request.body === undefined ? {} : { body: request.body }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
        await response.arrayBuffer();
        outcomes.push({ request, status: response.status, startedAt, endedAt: Date.now(), headers: response.headers });
      } catch (error) {
        outcomes.push({ request, status: undefined, error: describeError(error), startedAt, endedAt: Date.now() });
      }
    }
  };
  const clients = Array.from({ length: options.concurrency }, client);
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(clients);
      return outcomes;
    },
  };
};

/** fetch says only "fetch failed"; the socket's own error (ECONNRESET, closed) is its cause. */
const describeError = (error: unknown) => {
  const cause = error instanceof Error ? error.cause : undefined;
  const detail = cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : undefined;
  return detail ? `${String(error)} (${detail})` : String(error);
};

export const failuresOf = (outcomes: Outcome[]) =>
  outcomes.filter((outcome) => outcome.status === undefined || outcome.status >= 500);

export const describeOutcomes = (outcomes: Outcome[]) =>
  outcomes
    .slice(0, 10)
    .map((o) => `${o.request.method} ${o.request.url} -> ${o.status ?? o.error}`)
    .join("\n");

/** Each outcome's start and end relative to `zeroAt` (a fault's moment), for a failure message. */
export const describeTimeline = (outcomes: Outcome[], zeroAt: number) =>
  outcomes
    .map(
      (o) =>
        `+${o.startedAt - zeroAt}..+${o.endedAt - zeroAt} ms ${o.request.method} ${o.request.url} -> ${o.status ?? o.error}`,
    )
    .join("\n");

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
