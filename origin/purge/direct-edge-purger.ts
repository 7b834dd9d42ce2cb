import type { Logger } from "pino";
import type { EdgePurger } from "./edge-purger.ts";
import type { PurgeTarget } from "./purge-target.ts";

/**
 * Sends a purge to every target at once and logs the ones that failed, with no retry: the
 * fallback when there is no Redis for the queue. A target that missed a purge serves its
 * copy until it expires (the bound docs/edge.md states).
 */
export const directEdgePurger = (targets: readonly PurgeTarget[], logger: Logger): EdgePurger => ({
  purge: async (tags) => {
    const results = await Promise.allSettled(targets.map((target) => target.send(tags)));
    results.forEach((result, index) => {
      if (result.status === "rejected") {
        logger.warn(
          { target: targets[index]?.id, err: result.reason },
          "purge not delivered: the copy lives until it expires",
        );
      }
    });
  },
});
