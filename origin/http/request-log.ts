import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "pino";
import type { AppEnv } from "../../shared/app/app-env.ts";
import type { WorkerMetrics } from "../observability/worker-metrics.ts";
import type { ClientAddressOf } from "./client-address.ts";

/**
 * One structured line per request, carrying the request id NGINX and the client see and
 * the client's address as the trusted proxies report it; and the request's duration in the
 * latency histogram, labelled by route pattern so the label set stays small.
 */
export const requestLog =
  (logger: Logger, metrics: WorkerMetrics, clientAddressOf: ClientAddressOf): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1_000;
      const route = routePath(c, -1);
      const status = c.res.status;
      metrics.httpRequestDuration.observe({ route, method: c.req.method, status }, seconds);
      const { ip, scheme } = clientAddressOf(c);
      logger.info(
        {
          requestId: c.get("requestId"),
          method: c.req.method,
          path: c.req.path,
          route,
          status,
          durationMs: Math.round(seconds * 100_000) / 100,
          clientIp: ip,
          scheme,
          originCache: c.res.headers.get("x-origin-cache") ?? undefined,
        },
        "request",
      );
    }
  };
