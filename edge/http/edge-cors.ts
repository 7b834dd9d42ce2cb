import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { EdgeEnv } from "../edge-env.ts";
import { requestIdHeader } from "./request-id.ts";

/**
 * CORS for `/api/*`, with the origin's settings (shared/app/create-app.ts). Preflights are
 * hono's middleware. An actual request's answer gets what hono's middleware would give it
 * (Allow-Origin when the origin is allowed, Expose-Headers, and `Vary: Origin` unless every
 * origin is), written by one function that the memory hit, which answers before any
 * middleware runs, shares with the middleware that decorates every other answer.
 */
export interface EdgeCors {
  writeHeaders: (headers: Headers, requestOrigin: string | undefined) => void;
  /** Answers OPTIONS. */
  preflight: MiddlewareHandler<EdgeEnv>;
  /** Decorates the answer of any other method. */
  actual: MiddlewareHandler<EdgeEnv>;
}

const exposeHeaders = [requestIdHeader];

export const createEdgeCors = (corsOrigins: readonly string[]): EdgeCors => {
  const anyOrigin = corsOrigins.includes("*");
  const exposed = exposeHeaders.join(",");
  const writeHeaders = (headers: Headers, requestOrigin: string | undefined) => {
    const allowed = anyOrigin ? "*" : corsOrigins.includes(requestOrigin ?? "") ? requestOrigin : undefined;
    if (allowed !== undefined) headers.set("access-control-allow-origin", allowed);
    headers.set("access-control-expose-headers", exposed);
    if (!anyOrigin) headers.append("vary", "Origin");
  };
  return {
    writeHeaders,
    preflight: cors({ origin: anyOrigin ? "*" : [...corsOrigins], exposeHeaders }),
    actual: async (c, next) => {
      await next();
      writeHeaders(c.res.headers, c.req.header("origin"));
    },
  };
};
