import type { EdgeCache, WaitUntil } from "../cache/edge-cache.ts";
import type { PurgeBus } from "./purge-bus.ts";

/**
 * A purge at this edge: void the tags in this isolate, then wait until every other isolate
 * of the process has too. Both callers (a write that passed through, the purge endpoint)
 * answer only after that, so whoever learns of the write next reads the new data.
 */
export interface EdgePurge {
  purge: (tags: readonly string[], waitUntil: WaitUntil) => Promise<void>;
}

export const createEdgePurge = (cache: EdgeCache, bus: PurgeBus, background: WaitUntil): EdgePurge => {
  // The other isolate's clock is this machine's clock; the max only guards against skew.
  bus.onPurge((tags, at) => cache.purge(tags, Math.max(at, Date.now()), background));
  return {
    purge: async (tags, waitUntil) => {
      const at = Date.now();
      cache.purge(tags, at, waitUntil);
      await bus.publish(tags, at);
    },
  };
};
