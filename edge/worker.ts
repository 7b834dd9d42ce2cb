import { cacheApiStore } from "./cache/shared-cache.ts";
import { createEdgeApp, type EdgeApp } from "./edge-app.ts";
import { parseEdgeConfig } from "./edge-config.ts";
import { singleIsolateBus } from "./purge/purge-bus.ts";

/**
 * The edge as a Cloudflare Worker module (wrangler.toml). Bindings arrive with the first
 * request, so the app is built then; `caches.default` is the data centre's Cache API.
 * Workers have no channel between isolates: see docs/edge.md for what that bounds.
 */
interface WorkerContext {
  waitUntil: (work: Promise<unknown>) => void;
}

const log = (event: Record<string, unknown>) => console.log(JSON.stringify(event));

const misconfigured = () =>
  new Response(JSON.stringify({ errors: { edge: ["is misconfigured"] } }), {
    status: 500,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });

let app: EdgeApp | undefined;

const appFor = (env: Record<string, unknown>): EdgeApp | undefined => {
  if (app) return app;
  const parsed = parseEdgeConfig(env);
  if (!parsed.ok) {
    log({ level: "fatal", msg: "invalid edge configuration", problems: parsed.problems });
    return undefined;
  }
  app = createEdgeApp({
    config: parsed.config,
    sharedCache: cacheApiStore((caches as unknown as { default: Cache }).default),
    purgeBus: singleIsolateBus,
    responsesOutliveRequests: false,
    // A Worker's clock stands still while its code runs and moves only with I/O, so this
    // first request's own origin read starts in this same millisecond; one earlier keeps it
    // trusted. No purge can reach an isolate before its first event, and entries of earlier
    // runs (wrangler dev persists its Cache API) are older than that.
    knownSince: Date.now() - 1,
    background: (work) =>
      void work.catch((error) => log({ level: "warn", msg: "background work failed", error: String(error) })),
    log,
  });
  return app;
};

export default {
  fetch(request: Request, env: Record<string, unknown>, ctx: WorkerContext): Response | Promise<Response> {
    const edge = appFor(env);
    if (!edge) return misconfigured();
    return edge.fetch(request, {
      clientAddress: request.headers.get("cf-connecting-ip") ?? undefined,
      waitUntil: (work) => ctx.waitUntil(work),
    });
  },
};
