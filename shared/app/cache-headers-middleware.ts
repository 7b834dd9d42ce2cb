import type { MiddlewareHandler } from "hono";
import {
  type CachePolicy,
  cacheableReadHeaders,
  formatCacheTags,
  purgeTagsHeader,
  uncacheableHeaders,
} from "../http/cache-policy.ts";
import type { AppEnv } from "./app-env.ts";

/**
 * Renders a route's cache declaration as response headers: `Cache-Control` and `Cache-Tag`
 * on reads, and on successful writes the tags every cache must now purge. Reports those
 * tags to `onPurge` so the tier can invalidate what it holds before the response leaves.
 */
export const cacheHeadersMiddleware =
  (policy: CachePolicy, onPurge: (tags: string[]) => Promise<void>): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    c.set("cacheSubjects", {});
    await next();
    const response = c.res;
    if (policy.kind === "write") {
      if (!response.ok) return;
      setHeaders(response, uncacheableHeaders);
      const tags = policy.invalidates({
        params: c.req.param(),
        request: (c.req.valid as (target: "json") => unknown)("json"),
        response: response.status === 204 ? undefined : await response.clone().json(),
        subjects: c.get("cacheSubjects"),
      });
      if (tags.length === 0) return;
      await onPurge(tags);
      response.headers.set(purgeTagsHeader, formatCacheTags(tags));
      return;
    }
    if (policy.kind === "cacheable" && response.status === 200 && c.get("auth") === null) {
      const tags = policy.tags({
        params: c.req.param(),
        query: c.req.query(),
        response: await response.clone().json(),
      });
      setHeaders(response, cacheableReadHeaders(policy, tags));
    } else if (response.status < 400) {
      setHeaders(response, uncacheableHeaders);
    }
    if (policy.kind === "cacheable") response.headers.append("vary", "Authorization");
  };

const setHeaders = (response: Response, headers: Record<string, string>) => {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
};
