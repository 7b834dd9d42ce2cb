import type { MiddlewareHandler } from "hono";
import { cacheStatusHeader } from "../cache/cached-response.ts";
import type { EdgeEnv } from "../edge-env.ts";
import { requestIdHeader } from "./request-id.ts";

/**
 * Every edge response says how it was served: `X-Cache` (BYPASS unless the cache answered),
 * and a `Server-Timing` entry with the edge's time and, if it asked, the origin's. The
 * request id goes back to the client too. The memory hit writes the same headers itself.
 */
export const serverTimingOf = (edgeMs: number, status: string, originMs?: number): string =>
  `edge;dur=${edgeMs.toFixed(1)};desc="${status}"${originMs === undefined ? "" : `, origin;dur=${originMs.toFixed(1)}`}`;

export const edgeTiming = (): MiddlewareHandler<EdgeEnv> => async (c, next) => {
  const started = performance.now();
  c.set("originMs", undefined);
  await next();
  const headers = c.res.headers;
  const status = headers.get(cacheStatusHeader) ?? "BYPASS";
  headers.set(cacheStatusHeader, status);
  headers.set(requestIdHeader, c.get("requestId"));
  headers.append("server-timing", serverTimingOf(performance.now() - started, status, c.get("originMs")));
};
