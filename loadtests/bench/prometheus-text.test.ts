import { describe, expect, it } from "vitest";
import { originCounts, originGauges } from "./origin-counts.ts";
import { parsePrometheusText, sumSamples } from "./prometheus-text.ts";

const instanceA = `# HELP http_request_duration_seconds Time from request to response
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{le="0.005",route="/api/articles",method="GET",status="200"} 90
http_request_duration_seconds_count{route="/api/articles",method="GET",status="200"} 100
http_request_duration_seconds_count{route="/api/articles/:slug",method="GET",status="404"} 5
http_request_duration_seconds_count{route="/metrics",method="GET",status="200"} 7
http_request_duration_seconds_count{route="/readyz",method="GET",status="200"} 3
origin_cache_requests_total{route="/api/articles",outcome="hit"} 80
origin_cache_requests_total{route="/api/articles",outcome="miss"} 15
origin_cache_requests_total{route="/api/tags",outcome="coalesced"} 5
db_pool_waiting 2
nodejs_eventloop_lag_p99_seconds 0.012
`;
const instanceB = `http_request_duration_seconds_count{route="/api/articles",method="GET",status="200"} 40
origin_cache_requests_total{route="/api/articles",outcome="hit"} 30
origin_cache_requests_total{route="/api/user",outcome="bypass"} 9
db_pool_waiting 1
nodejs_eventloop_lag_p99_seconds 0.031
`;

describe("parsePrometheusText", () => {
  it("reads names, labels (with escapes) and values, and skips comments", () => {
    const samples = parsePrometheusText(`# TYPE x counter\nx{path="a\\"b",le="+Inf"} 3\ny 1.5e3\n`);
    expect(samples).toEqual([
      { name: "x", labels: { path: 'a"b', le: "+Inf" }, value: 3 },
      { name: "y", labels: {}, value: 1500 },
    ]);
    expect(sumSamples(samples, "x", (labels) => labels.le === "+Inf")).toBe(3);
  });
});

describe("originCounts", () => {
  it("sums client requests over the instances, leaving out scrapes and health checks", () => {
    const counts = originCounts([parsePrometheusText(instanceA), parsePrometheusText(instanceB)]);
    expect(counts.requests).toBe(145);
    expect(counts.cache).toEqual({ hit: 110, miss: 15, coalesced: 5, bypass: 9 });
  });

  it("adds up pool waits and keeps the busiest instance's event-loop delay", () => {
    const gauges = originGauges([parsePrometheusText(instanceA), parsePrometheusText(instanceB)]);
    expect(gauges.poolWaiting).toBe(3);
    expect(gauges.eventLoopLagP99Ms).toBeCloseTo(31);
  });
});
