import type { MiddlewareHandler } from "hono";
import type { EdgeEnv } from "../edge-env.ts";

/**
 * `X-Request-ID`: the client's if short and plain, else a new one (the origin's and NGINX's
 * rule). One function, so the memory hit and the middleware cannot disagree.
 */
export const requestIdHeader = "x-request-id";

const maxLength = 128;
const notPlain = /[^\w\-=]/;

export const requestIdFor = (presented: string | undefined): string =>
  presented && presented.length <= maxLength && !notPlain.test(presented) ? presented : crypto.randomUUID();

export const requestId = (): MiddlewareHandler<EdgeEnv> => async (c, next) => {
  c.set("requestId", requestIdFor(c.req.header(requestIdHeader)));
  await next();
};
