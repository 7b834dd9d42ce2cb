import type { MiddlewareHandler } from "hono";
import { cacheStatusHeader } from "../cache/cached-read.ts";
import type { EdgeEnv } from "../edge-env.ts";

/**
 * Every edge response says how it was served: `X-Cache` (BYPASS unless the cache answered),
 * and a `Server-Timing` entry with the edge's time and, if it asked, the origin's. The
 * request id goes back to the client too (hono's request-id middleware sets it on responses
 * Hono builds, not on the ones the edge builds itself).
 */
export const edgeTiming = (): MiddlewareHandler<EdgeEnv> => async (c, next) => {
  const started = performance.now();
  c.set("originMs", undefined);
  await next();
  const headers = c.res.headers;
  const status = headers.get(cacheStatusHeader) ?? "BYPASS";
  headers.set(cacheStatusHeader, status);
  headers.set("x-request-id", c.get("requestId"));
  const edgeMs = (performance.now() - started).toFixed(1);
  const originMs = c.get("originMs");
  headers.append(
    "server-timing",
    `edge;dur=${edgeMs};desc="${status}"${originMs === undefined ? "" : `, origin;dur=${originMs.toFixed(1)}`}`,
  );
};
