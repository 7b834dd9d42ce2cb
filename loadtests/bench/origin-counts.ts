import { type PromSample, sumSamples } from "./prometheus-text.ts";

/**
 * What one scrape of the origin instances' /metrics says about load that reached them.
 * Health checks and the scrapes themselves are not client traffic, so they are left out.
 */
export interface OriginCounts {
  requests: number;
  cache: Record<"hit" | "miss" | "coalesced" | "bypass", number>;
}

export interface OriginGauges {
  poolWaiting: number;
  /** The busiest instance's event-loop delay p99. */
  eventLoopLagP99Ms: number;
}

const notClientTraffic = new Set(["/metrics", "/healthz", "/readyz"]);

export const originCounts = (instances: readonly PromSample[][]): OriginCounts => {
  const all = instances.flat();
  const outcome = (name: string) => sumSamples(all, "origin_cache_requests_total", (labels) => labels.outcome === name);
  return {
    requests: sumSamples(
      all,
      "http_request_duration_seconds_count",
      (labels) => !notClientTraffic.has(labels.route ?? ""),
    ),
    cache: { hit: outcome("hit"), miss: outcome("miss"), coalesced: outcome("coalesced"), bypass: outcome("bypass") },
  };
};

export const originGauges = (instances: readonly PromSample[][]): OriginGauges => ({
  poolWaiting: sumSamples(instances.flat(), "db_pool_waiting"),
  eventLoopLagP99Ms: Math.max(
    0,
    ...instances.map((samples) => sumSamples(samples, "nodejs_eventloop_lag_p99_seconds") * 1000),
  ),
});
