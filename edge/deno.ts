import { cacheApiStore } from "./cache/shared-cache.ts";
import { createEdgeApp } from "./edge-app.ts";
import { parseEdgeConfig } from "./edge-config.ts";
import { broadcastPurgeBus, singleIsolateBus } from "./purge/purge-bus.ts";

/**
 * The edge on Deno: `deno serve --parallel edge/deno.ts` runs this module once per isolate
 * (DENO_JOBS of them; EDGE_ISOLATES must say the same number), all sharing one Cache API
 * and relaying purges to each other over a BroadcastChannel.
 */
declare const Deno: {
  env: { toObject: () => Record<string, string> };
  exit: (code: number) => never;
  addSignalListener: (signal: "SIGTERM" | "SIGINT", handler: () => void) => void;
};

interface ServeHandlerInfo {
  remoteAddr: { hostname: string };
}

const log = (event: Record<string, unknown>) => console.log(JSON.stringify(event));
const background = (work: Promise<unknown>) =>
  void work.catch((error) => log({ level: "warn", msg: "background work failed", error: String(error) }));

const parsed = parseEdgeConfig(Deno.env.toObject());
if (!parsed.ok) {
  console.error(`conduit edge: invalid configuration\n  ${parsed.problems.join("\n  ")}`);
  Deno.exit(2);
}
const { config } = parsed;

const purgeBus = () => {
  if (config.isolates === 1) return singleIsolateBus;
  const channel = new BroadcastChannel("conduit-edge-purge");
  // An open channel keeps the isolate alive: `deno serve` drains in-flight requests on
  // SIGTERM and exits only once nothing else is pending.
  for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, () => channel.close());
  return broadcastPurgeBus({
    channel,
    isolates: config.isolates,
    ackTimeoutMs: config.purgeAckTimeoutMs,
    onUnconfirmed: (details) => log({ level: "warn", msg: "purge not confirmed by every isolate", ...details }),
  });
};

// Subscribed before `knownSince` is read: from that instant on no purge can pass us by.
const bus = purgeBus();
const knownSince = Date.now();

/**
 * Deno's Cache API is one SQLite file for every isolate; isolates opening it at once can
 * find it locked. An isolate that cannot open it runs on memory alone, which is correct,
 * only slower to warm.
 */
const openSharedCache = async (attempts = 20) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return cacheApiStore(await caches.open("conduit-edge"));
    } catch (error) {
      if (attempt === attempts) {
        log({ level: "warn", msg: "no Cache API: memory only", error: String(error) });
        return undefined;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
};

const app = createEdgeApp({
  config,
  sharedCache: await openSharedCache(),
  purgeBus: bus,
  responsesOutliveRequests: true,
  knownSince,
  background,
  log,
});

export default {
  fetch: (request: Request, info: ServeHandlerInfo) =>
    app.fetch(request, { clientAddress: info.remoteAddr.hostname, waitUntil: background }),
};
