import { Counter, Rate, Trend } from "k6/metrics";
import { cacheOutcome } from "../summary/cache-outcome.ts";
import { isFailedStatus, metricNames, statusMetricName, trackedStatuses } from "../summary/metric-names.ts";

/**
 * The project's own metrics on top of k6's built-in ones: per-request-name latency and
 * failures, counts by status, and the cache hit rate. k6 only creates metrics in the
 * init context, so every name of the mix gets its metrics up front.
 */
export const createK6Metrics = (requestNames: readonly string[]) => {
  const durations = new Map(requestNames.map((name) => [name, new Trend(metricNames.durationOf(name), true)]));
  const failures = new Map(requestNames.map((name) => [name, new Rate(metricNames.failedOf(name))]));
  const statuses = new Map<string, Counter>();
  for (const status of [...trackedStatuses, "other" as const]) {
    statuses.set(metricNames.status(status), new Counter(metricNames.status(status)));
  }
  const cacheHits = new Rate(metricNames.cacheHit);

  return {
    record: (
      name: string,
      response: { status: number; timings: { duration: number }; headers: Record<string, string> },
    ): void => {
      durations.get(name)?.add(response.timings.duration);
      failures.get(name)?.add(isFailedStatus(response.status));
      statuses.get(statusMetricName(response.status))?.add(1);
      const hit = cacheOutcome(response.headers);
      if (hit !== undefined) cacheHits.add(hit);
    },
  };
};
