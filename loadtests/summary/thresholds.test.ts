import { describe, expect, it } from "vitest";
import type { SummaryMetric } from "./summary-metrics.ts";
import { applyThresholds, evaluateThreshold, parseThreshold, thresholdPercentiles } from "./thresholds.ts";

const latency: SummaryMetric = { type: "trend", contains: "time", values: { "p(95)": 180, "p(99)": 620, avg: 40 } };
const failures: SummaryMetric = { type: "rate", contains: "default", values: { rate: 0.02, passes: 2, fails: 98 } };

describe("parseThreshold", () => {
  it("reads k6's `<aggregation> <operator> <number>`", () => {
    expect(parseThreshold("p(95)<200")).toEqual({ aggregation: "p(95)", operator: "<", value: 200 });
    expect(parseThreshold(" p( 99.9 ) <= 1000 ")).toEqual({ aggregation: "p(99.9)", operator: "<=", value: 1000 });
    expect(parseThreshold("rate<0.01")).toEqual({ aggregation: "rate", operator: "<", value: 0.01 });
    expect(parseThreshold("count>=-1")).toEqual({ aggregation: "count", operator: ">=", value: -1 });
  });

  it("rejects expressions k6 would reject", () => {
    expect(() => parseThreshold("p95 < 200ms")).toThrow(/not a threshold/);
    expect(() => parseThreshold("avg => 3")).toThrow(/not a threshold/);
  });
});

describe("evaluateThreshold", () => {
  it("passes and fails on the metric's figures", () => {
    expect(evaluateThreshold(latency, "p(95)<200")).toEqual({ ok: true, actual: 180 });
    expect(evaluateThreshold(latency, "p(99)<500")).toEqual({ ok: false, actual: 620 });
    expect(evaluateThreshold(failures, "rate<0.01")).toEqual({ ok: false, actual: 0.02 });
    expect(evaluateThreshold(failures, "rate<=0.02")).toEqual({ ok: true, actual: 0.02 });
  });

  it("passes a metric without data, as k6 does", () => {
    expect(evaluateThreshold(undefined, "p(95)<1")).toEqual({ ok: true, actual: undefined });
  });

  it("refuses an aggregation the metric does not have", () => {
    expect(() => evaluateThreshold(failures, "p(95)<1")).toThrow(/rate metric has no "p\(95\)"/);
  });
});

describe("applyThresholds", () => {
  it("marks outcomes on the metrics the way k6's summary data does", () => {
    const marked = applyThresholds(
      { latency, failures },
      { latency: ["p(95)<200", "p(99)<500"], failures: ["rate<0.05"], absent: ["count>0"] },
    );
    expect(marked.latency?.thresholds).toEqual({ "p(95)<200": { ok: true }, "p(99)<500": { ok: false } });
    expect(marked.failures?.thresholds).toEqual({ "rate<0.05": { ok: true } });
    expect(marked.absent).toBeUndefined();
    expect(latency.thresholds).toBeUndefined();
  });
});

describe("thresholdPercentiles", () => {
  it("lists the percentiles the thresholds need, once each", () => {
    expect(thresholdPercentiles({ a: ["p(95)<1", "p(99.9)<2"], b: ["p(95)<3", "rate<0.1"] })).toEqual([
      "p(95)",
      "p(99.9)",
    ]);
  });
});
