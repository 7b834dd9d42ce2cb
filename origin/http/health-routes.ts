import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { AppError } from "../../shared/errors/app-error.ts";
import type { Database } from "../db/client.ts";

/** Readiness must answer quickly even when Postgres hangs, so the probe has its own bound. */
const readinessTimeoutMs = 2_000;

/**
 * `/healthz`: the process answers (liveness; never touches dependencies, so a database
 * outage does not get healthy workers restarted). `/readyz`: dependencies answer too.
 */
export const mountHealthRoutes = (app: OpenAPIHono<AppEnv>, database: Database) => {
  app.get("/healthz", (c) => c.json({ status: "ok" }, 200, { "cache-control": "no-store" }));
  app.get("/readyz", async (c) => {
    const probe = database.sql`select 1`.execute();
    const timeout = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error("readiness probe timed out")), readinessTimeoutMs).unref();
    });
    try {
      await Promise.race([probe, timeout]);
    } catch {
      probe.cancel();
      throw new AppError("databaseUnavailable", { retryAfterSeconds: 5 });
    }
    return c.json({ status: "ready", checks: { database: "ok" } }, 200, { "cache-control": "no-store" });
  });
};
