/**
 * The metric records of k6's end-of-test summary (`handleSummary(data)`'s `data.metrics`),
 * the common ground of both drivers: k6 hands them over, the native runner computes
 * them from its samples, and everything after (thresholds, the JSON summary) reads them.
 */
export interface SummaryMetric {
  type: "counter" | "gauge" | "rate" | "trend";
  contains: "default" | "time" | "data";
  /** counter: count, rate; rate: rate, passes, fails; trend: count, avg, min, med, max, p(N). */
  values: Record<string, number>;
  /** Filled in by k6, or by applyThresholds for the native runner. */
  thresholds?: Record<string, { ok: boolean }>;
}

export type SummaryMetrics = Record<string, SummaryMetric>;

/** The part of k6's `handleSummary` data this project reads. */
export interface K6SummaryData {
  metrics: SummaryMetrics;
  state?: { testRunDurationMs?: number };
}
