import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { AppError } from "../../shared/errors/app-error.ts";

/** Prometheus text for the whole instance; `collect` asks the cluster primary for it. */
export const mountMetricsRoute = (app: OpenAPIHono<AppEnv>, collect: () => Promise<string>) => {
  app.get("/metrics", async (c) => {
    try {
      return c.body(await collect(), 200, {
        "content-type": "text/plain; version=0.0.4; charset=utf-8",
        "cache-control": "no-store",
      });
    } catch {
      throw new AppError("metricsUnavailable", { retryAfterSeconds: 1 });
    }
  });
};
