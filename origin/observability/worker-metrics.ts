import {
  AggregatorRegistry,
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type PrometheusContentType,
} from "prom-client";

/**
 * A worker's metrics. The registry is an AggregatorRegistry so the cluster primary can
 * collect every worker's values over IPC and serve one sum per instance at /metrics.
 * Default metrics bring heap, GC and event-loop delay (nodejs_eventloop_lag_*).
 */
/** `redisReady` is read at scrape time. */
export const createWorkerMetrics = (redisReady: () => boolean) => {
  const registry = new AggregatorRegistry<PrometheusContentType>();
  AggregatorRegistry.setRegistries(registry);
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "Time from request to response, by route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    cacheRequests: new Counter({
      name: "origin_cache_requests_total",
      help: "Cacheable reads by outcome: hit, miss, coalesced (served by another request's fill), bypass, error",
      labelNames: ["route", "outcome"] as const,
      registers,
    }),
    cachePurges: new Counter({
      name: "origin_cache_purges_total",
      help: "Tag purges of the Redis response cache, by result",
      labelNames: ["result"] as const,
      registers,
    }),
    rateLimitRejections: new Counter({
      name: "rate_limit_rejections_total",
      help: "Requests answered 429, by limiter",
      labelNames: ["limiter"] as const,
      registers,
    }),
    rateLimitFallbacks: new Counter({
      name: "rate_limit_fallbacks_total",
      help: "Requests whose limit Redis could not decide in time, decided by RATE_LIMIT_WHEN_REDIS_DOWN instead",
      labelNames: ["limiter"] as const,
      registers,
    }),
    dbQueriesInFlight: new Gauge({
      name: "db_pool_queries_in_flight",
      help: "Queries and transactions started and not finished (in use plus waiting for a connection)",
      registers,
    }),
    dbPoolWaiting: new Gauge({
      name: "db_pool_waiting",
      help: "In-flight queries beyond the pool size: waiting for a connection",
      registers,
    }),
    redisUp: new Gauge({
      name: "redis_up",
      help: "1 while this worker's Redis connection is ready",
      registers,
      aggregator: "min",
      collect() {
        this.set(redisReady() ? 1 : 0);
      },
    }),
  };
};

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
