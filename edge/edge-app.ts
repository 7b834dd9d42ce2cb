import { type Context, Hono, type MiddlewareHandler } from "hono";
import { authMiddleware } from "../shared/app/auth-middleware.ts";
import { createTokenService } from "../shared/auth/token.ts";
import { AppError } from "../shared/errors/app-error.ts";
import { renderError } from "../shared/errors/render-error.ts";
import { declaredQueryParameters } from "../shared/http/cache-key.ts";
import { parseCacheTags, purgeTagsHeader } from "../shared/http/cache-policy.ts";
import { edgeHealthPath, edgePurgePath } from "../shared/http/edge-endpoints.ts";
import type { RouteContract } from "../shared/routes/route-contract.ts";
import { type RouteName, routeTable } from "../shared/routes/route-table.ts";
import { cacheTargetOf } from "./cache/cache-target.ts";
import { createCachedRead } from "./cache/cached-read.ts";
import { cacheStatusHeader, createCachedAnswer } from "./cache/cached-response.ts";
import { createCoalescer } from "./cache/coalescer.ts";
import { createEdgeCache, type WaitUntil } from "./cache/edge-cache.ts";
import { createMemoryCache } from "./cache/memory-cache.ts";
import { type CacheableRoute, memoryHit } from "./cache/memory-hit.ts";
import { type FillOutcome, fillFromOrigin } from "./cache/origin-fill.ts";
import { createPurgeLog } from "./cache/purge-log.ts";
import type { SharedCache } from "./cache/shared-cache.ts";
import type { EdgeConfig } from "./edge-config.ts";
import type { EdgeEnv } from "./edge-env.ts";
import { createEdgeCors } from "./http/edge-cors.ts";
import { edgeTiming } from "./http/edge-timing.ts";
import { createOriginClient, passOn, type RequestFacts } from "./http/origin-client.ts";
import { requestId } from "./http/request-id.ts";
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
  /**
   * Whether a Response may be kept and cloned for later requests (cached-response.ts):
   * on Deno; not on Workers, which bind a body to the request that made it.
   */
  responsesOutliveRequests: boolean;
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
  const answer = createCachedAnswer({ responsesOutliveRequests: deps.responsesOutliveRequests });
  const cachedRead = createCachedRead({
    cache,
    answer,
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
  const edgeNow = (c: Context<EdgeEnv>) => {
    const skew = config.testClock ? c.req.header(clockSkewHeader) : undefined;
    const seconds = skew !== undefined ? Number(skew) : 0;
    return Date.now() + (Number.isFinite(seconds) ? seconds * 1_000 : 0);
  };
  const cors = createEdgeCors(config.corsOrigins);

  const forward: MiddlewareHandler<EdgeEnv> = async (c) => {
    // A body sent without a length streams on; the origin's own limit holds it.
    if (Number(c.req.header("content-length")) > config.bodyLimitBytes) throw new AppError("bodyTooLarge");
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
    ({ policy, declaredQuery }: CacheableRoute): MiddlewareHandler<EdgeEnv> =>
    async (c, next) => {
      if (c.req.method !== "GET" || c.get("auth") !== null) return next();
      const target = cacheTargetOf(c.req.url, declaredQuery);
      if (target === undefined) return next();
      const started = performance.now();
      const response = await cachedRead({
        key: target.key,
        pathAndQuery: target.pathAndQuery,
        policy,
        params: c.req.param(),
        facts: factsOf(c, target.url),
        now: edgeNow(c),
        waitUntil: c.env.waitUntil,
      });
      if (response.headers.get(cacheStatusHeader) === "MISS") c.set("originMs", performance.now() - started);
      return response;
    };

  // Hono runs the handlers of every matching registration in order until one answers. Each
  // chain below ends in one that does, so a request runs the first chain that matches it:
  // a route's memory hit runs only for requests the route itself serves (the static
  // `/api/articles/feed` comes before `/api/articles/:slug`). The memory hit goes first and
  // answers alone; the rest of each chain starts with what every answer carries.
  const everyAnswer = [requestId(), edgeTiming()];
  const corsOf = (path: string) => (path.startsWith("/api/") ? cors : undefined);
  const chainFor = (path: string) => {
    const pathCors = corsOf(path);
    return pathCors ? [...everyAnswer, pathCors.actual] : everyAnswer;
  };

  const app = new Hono<EdgeEnv>();
  const route = (method: string, path: string, handlers: MiddlewareHandler<EdgeEnv>[]) =>
    app.on(method, [path], ...handlers);
  route("OPTIONS", "/api/*", [...everyAnswer, cors.preflight]);
  route("GET", edgeHealthPath, [...everyAnswer, async (c) => c.json({ status: "ok" })]);
  route("POST", edgePurgePath, [...everyAnswer, purgeEndpoint(config.purgeSecret, edgePurge)]);
  route("ALL", "/__edge/*", [
    ...everyAnswer,
    async () => {
      throw new AppError("routeNotFound");
    },
  ]);

  for (const name of Object.keys(routeTable) as RouteName[]) {
    const contract: RouteContract = routeTable[name];
    const path = honoPath(contract.route.path);
    const cacheable: CacheableRoute | undefined =
      contract.cache.kind === "cacheable"
        ? { policy: contract.cache, declaredQuery: declaredQueryParameters(contract), auth: contract.auth }
        : undefined;
    const handlers: MiddlewareHandler<EdgeEnv>[] = [
      ...(cacheable ? [memoryHit(cacheable, { cache, answer, cors: corsOf(path), now: edgeNow })] : []),
      ...chainFor(path),
      // The shared rule, unchanged: the edge's Variables extend the app's.
      authMiddleware(contract.auth, tokens) as unknown as MiddlewareHandler<EdgeEnv>,
      ...(cacheable ? [readThroughCache(cacheable)] : []),
      forward,
    ];
    route(contract.route.method.toUpperCase(), path, handlers);
  }
  route("ALL", "/api/*", [...chainFor("/api/"), forward]);
  route("ALL", "*", [...everyAnswer, forward]);

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
