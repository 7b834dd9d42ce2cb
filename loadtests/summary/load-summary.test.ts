import { describe, expect, it } from "vitest";
import type { LoadProfile } from "../scenarios/load-profile.ts";
import { buildLoadSummary, type RunDescription } from "./load-summary.ts";
import { metricNames, summaryTrendStats } from "./metric-names.ts";
import { createSampleRecorder } from "./sample-recorder.ts";
import type { K6SummaryData } from "./summary-metrics.ts";
import { applyThresholds } from "./thresholds.ts";

const profile: LoadProfile = { executor: "constant-arrival-rate", rate: 5, durationSeconds: 2 };

const run = (overrides: Partial<RunDescription> = {}): RunDescription => ({
  scenario: "browse",
  driver: { name: "native", tool: "autocannon", arrivalModel: "stepped" },
  baseUrl: "http://127.0.0.1:8080",
  profile,
  connections: 4,
  names: ["getArticle", "listTags", "neverSent"],
  thresholds: {
    [metricNames.duration]: ["p(95)<100"],
    [metricNames.failed]: ["rate<0.05"],
    [metricNames.durationOf("listTags")]: ["p(95)<10"],
  },
  finishedAt: new Date("2026-01-01T00:00:00Z"),
  ...overrides,
});

/** Ten requests in two seconds: eight fast reads, a 404, a slow tag list, and one with no response. */
const recordedRun = () => {
  const recorder = createSampleRecorder();
  for (let index = 0; index < 8; index++) {
    recorder.record({ name: "getArticle", status: 200, durationMs: 10 + index, cacheHit: index < 6 });
  }
  recorder.record({ name: "getArticle", status: 404, durationMs: 5, cacheHit: undefined });
  recorder.record({ name: "listTags", status: 200, durationMs: 90, cacheHit: false });
  recorder.recordNoResponse();
  return recorder;
};

describe("summary from raw samples (the native runner)", () => {
  const recorder = recordedRun();
  const thresholds = run().thresholds;
  const metrics = applyThresholds(
    recorder.metrics({ durationSeconds: 2, dropped: 0, trendStats: summaryTrendStats }),
    thresholds,
  );
  const summary = buildLoadSummary(metrics, run());

  it("counts requests, failures (non-2xx/3xx and no response) and throughput over the schedule", () => {
    expect(summary.requests).toEqual({ total: 11, failed: 2, errorRate: 2 / 11, throughput: 5.5, dropped: 0 });
    expect(recorder.completed()).toBe(11);
  });

  it("reports latency percentiles of the answered requests", () => {
    // Sorted: 5, 10, 11, 12, 13, 14, 15, 16, 17, 90; p(N) sits at N% of the way from first to last.
    expect(summary.latencyMs.min).toBe(5);
    expect(summary.latencyMs.max).toBe(90);
    expect(summary.latencyMs.p50).toBe(13.5);
    expect(summary.latencyMs.p99).toBeCloseTo(17 + (90 - 17) * 0.91, 6);
  });

  it("counts responses by status, with 0 for no response", () => {
    expect(summary.statusCounts).toEqual({ "0": 1, "200": 9, "404": 1 });
  });

  it("breaks figures down by request name, leaving out names that were never sent", () => {
    expect(Object.keys(summary.byName)).toEqual(["getArticle", "listTags"]);
    expect(summary.byName.getArticle).toMatchObject({ count: 9, failed: 1, errorRate: 1 / 9 });
    expect(summary.byName.listTags?.latencyMs.p95).toBe(90);
  });

  it("reports the hit ratio among responses that carried a cache header", () => {
    expect(summary.cache).toEqual({ observed: 9, hits: 6, hitRatio: 6 / 9 });
  });

  it("applies the thresholds and fails the run when one fails", () => {
    expect(summary.thresholds).toEqual([
      { metric: metricNames.duration, expression: "p(95)<100", ok: true, actual: expect.any(Number) },
      { metric: metricNames.failed, expression: "rate<0.05", ok: false, actual: 2 / 11 },
      { metric: metricNames.durationOf("listTags"), expression: "p(95)<10", ok: false, actual: 90 },
    ]);
    expect(summary.ok).toBe(false);
  });
});

describe("summary from k6's handleSummary data", () => {
  const data: K6SummaryData = {
    state: { testRunDurationMs: 2500 },
    metrics: {
      [metricNames.duration]: {
        type: "trend",
        contains: "time",
        values: { count: 10, avg: 12, min: 5, med: 11, "p(90)": 20, "p(95)": 30, "p(99)": 40, max: 41 },
        thresholds: { "p(95)<100": { ok: true } },
      },
      [metricNames.failed]: {
        type: "rate",
        contains: "default",
        values: { rate: 0.1, passes: 1, fails: 9 },
        thresholds: { "rate<0.05": { ok: false } },
      },
      [metricNames.durationOf("getArticle")]: {
        type: "trend",
        contains: "time",
        values: { count: 10, avg: 12, min: 5, med: 11, "p(90)": 20, "p(95)": 30, "p(99)": 40, max: 41 },
      },
      [metricNames.failedOf("getArticle")]: {
        type: "rate",
        contains: "default",
        values: { rate: 0.1, passes: 1, fails: 9 },
      },
      [metricNames.status(200)]: { type: "counter", contains: "default", values: { count: 9, rate: 3.6 } },
      [metricNames.status(503)]: { type: "counter", contains: "default", values: { count: 1, rate: 0.4 } },
      [metricNames.dropped]: { type: "counter", contains: "default", values: { count: 3, rate: 1.2 } },
      http_reqs: { type: "counter", contains: "default", values: { count: 25, rate: 10 } },
    },
  };
  const summary = buildLoadSummary(data.metrics, run({ driver: { name: "k6", tool: "k6", arrivalModel: "k6" } }));

  it("reads the same figures from k6's metrics, set-up requests excluded", () => {
    expect(summary.requests).toEqual({ total: 10, failed: 1, errorRate: 0.1, throughput: 5, dropped: 3 });
    expect(summary.latencyMs).toEqual({ avg: 12, min: 5, p50: 11, p90: 20, p95: 30, p99: 40, max: 41 });
    expect(summary.statusCounts).toEqual({ "200": 9, "503": 1 });
    expect(summary.byName.getArticle?.count).toBe(10);
    expect(summary.cache).toBeNull();
  });

  it("takes threshold outcomes from k6 and passes thresholds on metrics without data", () => {
    expect(summary.thresholds.map(({ expression, ok }) => [expression, ok])).toEqual([
      ["p(95)<100", true],
      ["rate<0.05", false],
      ["p(95)<10", true],
    ]);
    expect(summary.thresholds[2]?.actual).toBeUndefined();
    expect(summary.ok).toBe(false);
  });

  it("has the same shape as a native summary", () => {
    const native = buildLoadSummary(
      recordedRun().metrics({ durationSeconds: 2, dropped: 0, trendStats: summaryTrendStats }),
      run(),
    );
    const shape = (value: unknown): unknown =>
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shape(inner)]))
        : typeof value;
    const { byName: _k6Names, statusCounts: _k6Statuses, cache: _k6Cache, ...k6Rest } = summary;
    const { byName: _names, statusCounts: _statuses, cache: _cache, ...nativeRest } = native;
    expect(shape(k6Rest)).toEqual(shape(nativeRest));
  });
});
