import { isFailedStatus, metricNames, statusMetricName } from "./metric-names.ts";
import { trendValues } from "./percentile.ts";
import type { SummaryMetric, SummaryMetrics } from "./summary-metrics.ts";

/**
 * Raw samples of the native runner, turned into the same metric records k6 reports.
 * Every duration is kept (as k6 keeps every trend sample), so percentiles are exact.
 */
export interface ResponseSample {
  name: string;
  status: number;
  durationMs: number;
  /** undefined when no cache header was present. */
  cacheHit: boolean | undefined;
}

export interface MetricsWindow {
  /** Length of the load phase, for counter rates. */
  durationSeconds: number;
  /** Scheduled requests that were never sent (k6's dropped_iterations). */
  dropped: number;
  trendStats: readonly string[];
}

interface Tally {
  durations: number[];
  failed: number;
}

const trend = (durations: readonly number[], stats: readonly string[]): SummaryMetric => ({
  type: "trend",
  contains: "time",
  values: trendValues(durations, stats),
});

const rate = (passes: number, total: number): SummaryMetric => ({
  type: "rate",
  contains: "default",
  values: { rate: total === 0 ? 0 : passes / total, passes, fails: total - passes },
});

const counter = (count: number, seconds: number): SummaryMetric => ({
  type: "counter",
  contains: "default",
  values: { count, rate: seconds > 0 ? count / seconds : 0 },
});

export const createSampleRecorder = () => {
  const byName = new Map<string, Tally>();
  const statusCounts = new Map<string, number>();
  const all: number[] = [];
  let failed = 0;
  let noResponse = 0;
  let cacheObserved = 0;
  let cacheHits = 0;

  const countStatus = (status: number) => {
    const metric = statusMetricName(status);
    statusCounts.set(metric, (statusCounts.get(metric) ?? 0) + 1);
  };

  return {
    record: (sample: ResponseSample): void => {
      const tally = byName.get(sample.name) ?? { durations: [], failed: 0 };
      byName.set(sample.name, tally);
      tally.durations.push(sample.durationMs);
      all.push(sample.durationMs);
      if (isFailedStatus(sample.status)) {
        tally.failed++;
        failed++;
      }
      countStatus(sample.status);
      if (sample.cacheHit !== undefined) {
        cacheObserved++;
        if (sample.cacheHit) cacheHits++;
      }
    },
    /** A request that got no HTTP response (refused, reset, timed out): status 0, no duration. */
    recordNoResponse: (): void => {
      noResponse++;
      failed++;
      countStatus(0);
    },
    /** Requests finished so far, answered or not. */
    completed: (): number => all.length + noResponse,
    metrics: (window: MetricsWindow): SummaryMetrics => {
      const metrics: SummaryMetrics = {
        [metricNames.duration]: trend(all, window.trendStats),
        [metricNames.failed]: rate(failed, all.length + noResponse),
        [metricNames.dropped]: counter(window.dropped, window.durationSeconds),
      };
      for (const [name, tally] of byName) {
        metrics[metricNames.durationOf(name)] = trend(tally.durations, window.trendStats);
        metrics[metricNames.failedOf(name)] = rate(tally.failed, tally.durations.length);
      }
      for (const [name, count] of statusCounts) metrics[name] = counter(count, window.durationSeconds);
      if (cacheObserved > 0) metrics[metricNames.cacheHit] = rate(cacheHits, cacheObserved);
      return metrics;
    },
  };
};

export type SampleRecorder = ReturnType<typeof createSampleRecorder>;
