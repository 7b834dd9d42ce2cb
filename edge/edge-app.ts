import { type Context, Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { authMiddleware } from "../shared/app/auth-middleware.ts";
import { createTokenService } from "../shared/auth/token.ts";
import { AppError } from "../shared/errors/app-error.ts";
import { renderError } from "../shared/errors/render-error.ts";
import { cacheKeyOf, declaredQueryParameters } from "../shared/http/cache-key.ts";
import { type CacheableRead, parseCacheTags, purgeTagsHeader } from "../shared/http/cache-policy.ts";
import { edgeHealthPath, edgePurgePath } from "../shared/http/edge-endpoints.ts";
import type { RouteContract } from "../shared/routes/route-contract.ts";
import { type RouteName, routeTable } from "../shared/routes/route-table.ts";
import { cacheStatusHeader, createCachedRead } from "./cache/cached-read.ts";
import { createCoalescer } from "./cache/coalescer.ts";
import { createEdgeCache, type WaitUntil } from "./cache/edge-cache.ts";
import { createMemoryCache } from "./cache/memory-cache.ts";
import { type FillOutcome, fillFromOrigin } from "./cache/origin-fill.ts";
import { createPurgeLog } from "./cache/purge-log.ts";
import type { SharedCache } from "./cache/shared-cache.ts";
import type { EdgeConfig } from "./edge-config.ts";
import type { EdgeEnv } from "./edge-env.ts";
import { edgeTiming } from "./http/edge-timing.ts";
import { createOriginClient, passOn, type RequestFacts } from "./http/origin-client.ts";
import { createEdgePurge } from "./purge/edge-purge.ts";
import type { PurgeBus } from "./purge/purge-bus.ts";
import { purgeEndpoint } from "./purge/purge-endpoint.ts";

/**
 * The edge tier: one Hono app built from the same route table as the origin. Each route's
 * method, path, auth rule and cache policy come from `shared/`; the edge adds no route of
 * the API. Cacheable anonymous GETs are served from the cache, everything else goes to the
 * origin unchanged, and a bad token is refused here.
 */
export interface EdgeDependencies {
  config: EdgeConfig;
  /** The runtime's Cache API, or `undefined` for memory only. */
  sharedCache: SharedCache | undefined;
  purgeBus: PurgeBus;
  /** See purge-log.ts: from when this isolate hears of every purge. */
  knownSince: number;
  /** Runs work outside any request (purges relayed by other isolates). */
  background: WaitUntil;
  log: (event: Record<string, unknown>) => void;
}

/** Tests only (TEST_CLOCK=on): this request sees the edge's clock this many seconds ahead. */
export const clockSkewHeader = "x-edge-clock-skew-seconds";

/** `{slug}` (OpenAPI) to `:slug` (Hono). */
const honoPath = (openApiPath: string) => openApiPath.replaceAll(/\{(\w+)\}/g, ":$1");

export const createEdgeApp = (deps: EdgeDependencies) => {
  const { config, log } = deps;
  // The edge only verifies tokens; the lifetime matters to the origin, which signs them.
  const tokens = createTokenService({ ...config.jwt, ttlSeconds: 0 });
  const origin = createOriginClient({ originUrl: config.originUrl, timeoutMs: config.originTimeoutMs });
  const cache = createEdgeCache({
    memory: createMemoryCache(config.memoryCache),
    shared: deps.sharedCache,
    purgeLog: createPurgeLog({ knownSince: deps.knownSince, maxTags: config.purgeLogTags }),
    onSharedCacheError: (error) => log({ level: "warn", msg: "cache api failed", error: String(error) }),
  });
  const edgePurge = createEdgePurge(cache, deps.purgeBus, deps.background);
  const cachedRead = createCachedRead({
    cache,
    coalescer: createCoalescer<FillOutcome>(),
    fill: (request) =>
      fillFromOrigin(origin, request, (error) =>
        log({
          level: "warn",
          msg: "origin body did not fit its route's tags",
          path: request.pathAndQuery,
          error: String(error),
        }),
      ),
  });

  const factsOf = (c: Context<EdgeEnv>, url = new URL(c.req.url)): RequestFacts => ({
    requestId: c.get("requestId"),
    clientAddress: c.env.clientAddress,
    scheme: url.protocol.replace(":", ""),
  });
  const edgeNow = (skew: string | undefined) => {
    const seconds = config.testClock && skew !== undefined ? Number(skew) : 0;
    return Date.now() + (Number.isFinite(seconds) ? seconds * 1_000 : 0);
  };

  const app = new Hono<EdgeEnv>();
  app.use(requestId({ headerName: "x-request-id", limitLength: 128 }));
  app.use(edgeTiming());
  app.use(
    "/api/*",
    cors({ origin: config.corsOrigins.includes("*") ? "*" : [...config.corsOrigins], exposeHeaders: ["x-request-id"] }),
  );

  const forward: MiddlewareHandler<EdgeEnv> = async (c) => {
    const started = performance.now();
    let response: Response;
    try {
      response = passOn(await origin.forward(c.req.raw, factsOf(c)));
    } catch (error) {
      log({ level: "warn", msg: "origin unreachable", requestId: c.get("requestId"), error: String(error) });
      throw new AppError("originUnavailable", { retryAfterSeconds: 5 });
    } finally {
      c.set("originMs", performance.now() - started);
    }
    // The writer's next read must find the new data: purge before the answer leaves.
    const purged = response.status < 400 ? parseCacheTags(response.headers.get(purgeTagsHeader)) : [];
    if (purged.length > 0) await edgePurge.purge(purged, c.env.waitUntil);
    return response;
  };

  const readThroughCache =
    (policy: CacheableRead, declaredQuery: readonly string[]): MiddlewareHandler<EdgeEnv> =>
    async (c, next) => {
      if (c.req.method !== "GET" || c.get("auth") !== null) return next();
      const url = new URL(c.req.url);
      const pathAndQuery = cacheKeyOf(url, declaredQuery);
      if (pathAndQuery === undefined) return next();
      const started = performance.now();
      const response = await cachedRead({
        key: `${url.origin}${pathAndQuery}`,
        pathAndQuery,
        policy,
        params: c.req.param(),
        facts: factsOf(c, url),
        now: edgeNow(c.req.header(clockSkewHeader)),
        waitUntil: c.env.waitUntil,
      });
      if (response.headers.get(cacheStatusHeader) === "MISS") c.set("originMs", performance.now() - started);
      return response;
    };

  app.get(edgeHealthPath, (c) => c.json({ status: "ok" }));
  app.post(edgePurgePath, purgeEndpoint(config.purgeSecret, edgePurge));
  app.all("/__edge/*", () => {
    throw new AppError("routeNotFound");
  });

  for (const name of Object.keys(routeTable) as RouteName[]) {
    const contract: RouteContract = routeTable[name];
    const handlers: MiddlewareHandler<EdgeEnv>[] = [
      // The shared rule, unchanged: the edge's Variables extend the app's.
      authMiddleware(contract.auth, tokens) as unknown as MiddlewareHandler<EdgeEnv>,
      ...(contract.cache.kind === "cacheable"
        ? [readThroughCache(contract.cache, declaredQueryParameters(contract))]
        : []),
      forward,
    ];
    app.on(contract.route.method.toUpperCase(), [honoPath(contract.route.path)], ...handlers);
  }
  app.all("*", forward);

  app.onError((error, c) => {
    const response = renderError(error, c, {
      translate: () => undefined,
      onUnexpected: (unexpected) =>
        log({ level: "error", msg: "unexpected error", requestId: c.get("requestId"), error: String(unexpected) }),
    });
    // The spec promises the charset on every JSON response, as the origin sends it.
    response.headers.set("content-type", "application/json; charset=utf-8");
    return response;
  });
  return app;
};

export type EdgeApp = ReturnType<typeof createEdgeApp>;
