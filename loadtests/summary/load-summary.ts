import { type LoadProfile, profileDurationSeconds, scheduledRequests } from "../scenarios/load-profile.ts";
import { metricNames } from "./metric-names.ts";
import type { SummaryMetric, SummaryMetrics } from "./summary-metrics.ts";
import { evaluateThreshold, type Thresholds } from "./thresholds.ts";

/**
 * The JSON a load run leaves behind, the same whichever driver produced it: k6's
 * handleSummary and the native runner both build it from summary metrics with
 * buildLoadSummary, and `driver` says which one made the numbers.
 */
export const loadSummarySchema = "conduit-loadtest-summary/1";

export type DriverName = "k6" | "k6-docker" | "native";

export interface DriverInfo {
  name: DriverName;
  /** The load generator and, where known, its version. */
  tool: string;
  /** How the driver realised the arrival-rate profile. */
  arrivalModel: string;
}

export interface LatencyFigures {
  avg: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface NamedFigures {
  count: number;
  failed: number;
  errorRate: number;
  latencyMs: LatencyFigures;
}

export interface ThresholdOutcome {
  metric: string;
  expression: string;
  ok: boolean;
  /** undefined (absent in JSON) when the metric had no data. */
  actual?: number;
}

export interface LoadSummary {
  schema: typeof loadSummarySchema;
  scenario: string;
  driver: DriverInfo;
  baseUrl: string;
  finishedAt: string;
  load: {
    profile: LoadProfile;
    connections: number;
    scheduledSeconds: number;
    scheduledRequests: number;
  };
  requests: {
    total: number;
    failed: number;
    errorRate: number;
    /** Requests per second over the scheduled load duration. */
    throughput: number;
    /** Scheduled requests never sent because every VU or connection was busy. */
    dropped: number;
  };
  latencyMs: LatencyFigures;
  statusCounts: Record<string, number>;
  byName: Record<string, NamedFigures>;
  /** Responses that carried a cache header, and how many of them were hits. */
  cache: { observed: number; hits: number; hitRatio: number } | null;
  thresholds: ThresholdOutcome[];
  ok: boolean;
}

export interface RunDescription {
  scenario: string;
  driver: DriverInfo;
  baseUrl: string;
  profile: LoadProfile;
  connections: number;
  /** Request names of the mix, for the per-name breakdown. */
  names: readonly string[];
  thresholds: Thresholds;
  finishedAt: Date;
}

const value = (metric: SummaryMetric | undefined, key: string): number => metric?.values[key] ?? 0;

const latency = (metric: SummaryMetric | undefined): LatencyFigures => ({
  avg: value(metric, "avg"),
  min: value(metric, "min"),
  p50: value(metric, "med"),
  p90: value(metric, "p(90)"),
  p95: value(metric, "p(95)"),
  p99: value(metric, "p(99)"),
  max: value(metric, "max"),
});

const rateFigures = (metric: SummaryMetric | undefined) => {
  const failed = value(metric, "passes");
  const total = failed + value(metric, "fails");
  return { total, failed, errorRate: total === 0 ? 0 : failed / total };
};

const statusPrefix = metricNames.status("other").replace(/other$/, "");

export const buildLoadSummary = (metrics: SummaryMetrics, run: RunDescription): LoadSummary => {
  const scheduledSeconds = profileDurationSeconds(run.profile);
  const overall = rateFigures(metrics[metricNames.failed]);

  const statusCounts: Record<string, number> = {};
  for (const [name, metric] of Object.entries(metrics)) {
    if (name.startsWith(statusPrefix)) statusCounts[name.slice(statusPrefix.length)] = value(metric, "count");
  }

  const byName: Record<string, NamedFigures> = {};
  for (const name of run.names) {
    const failedMetric = metrics[metricNames.failedOf(name)];
    if (failedMetric === undefined) continue;
    const { total, failed, errorRate } = rateFigures(failedMetric);
    byName[name] = { count: total, failed, errorRate, latencyMs: latency(metrics[metricNames.durationOf(name)]) };
  }

  const cacheMetric = metrics[metricNames.cacheHit];
  const cacheHits = value(cacheMetric, "passes");
  const cacheObserved = cacheHits + value(cacheMetric, "fails");

  const thresholds: ThresholdOutcome[] = Object.entries(run.thresholds).flatMap(([metric, expressions]) =>
    expressions.map((expression) => {
      const evaluated = evaluateThreshold(metrics[metric], expression);
      const ok = metrics[metric]?.thresholds?.[expression]?.ok ?? evaluated.ok;
      return { metric, expression, ok, ...(evaluated.actual === undefined ? {} : { actual: evaluated.actual }) };
    }),
  );

  return {
    schema: loadSummarySchema,
    scenario: run.scenario,
    driver: run.driver,
    baseUrl: run.baseUrl,
    finishedAt: run.finishedAt.toISOString(),
    load: {
      profile: run.profile,
      connections: run.connections,
      scheduledSeconds,
      scheduledRequests: Math.round(scheduledRequests(run.profile)),
    },
    requests: {
      ...overall,
      throughput: scheduledSeconds > 0 ? overall.total / scheduledSeconds : 0,
      dropped: value(metrics[metricNames.dropped], "count"),
    },
    latencyMs: latency(metrics[metricNames.duration]),
    statusCounts,
    byName,
    cache:
      cacheObserved === 0 ? null : { observed: cacheObserved, hits: cacheHits, hitRatio: cacheHits / cacheObserved },
    thresholds,
    ok: thresholds.every((threshold) => threshold.ok),
  };
};
