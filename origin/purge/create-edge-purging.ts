import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { createRedisConnection } from "../redis/redis-connection.ts";
import type { RedisTarget } from "../redis/redis-url.ts";
import { directEdgePurger } from "./direct-edge-purger.ts";
import type { EdgePurgeQueueSettings, EdgePurgeTarget } from "./edge-purge-config.ts";
import { type EdgePurger, noEdgePurger } from "./edge-purger.ts";
import { createPurgeQueue } from "./purge-queue.ts";
import { purgeTargets } from "./purge-targets.ts";

export interface EdgePurging {
  purger: EdgePurger;
  /** Drains the queue's worker (running jobs finish; queued ones stay in Redis). */
  close: () => Promise<void>;
}

/**
 * The fan-out the configuration names: durable jobs when there is Redis, one direct
 * attempt per write without it, nothing when no edge is configured.
 */
export const createEdgePurging = (deps: {
  target: EdgePurgeTarget;
  queue: EdgePurgeQueueSettings;
  redisTarget: RedisTarget | undefined;
  registry: Registry;
  logger: Logger;
  name: string;
}): EdgePurging => {
  const targets = purgeTargets(deps.target);
  if (targets.length === 0) return { purger: noEdgePurger, close: async () => {} };
  if (!deps.redisTarget) return { purger: directEdgePurger(targets, deps.logger), close: async () => {} };
  const queueRedis = createRedisConnection(deps.redisTarget, `${deps.name}-purge-queue`, deps.logger, "blocking");
  const queue = createPurgeQueue({
    targets,
    redis: queueRedis,
    settings: deps.queue,
    registry: deps.registry,
    logger: deps.logger,
  });
  return {
    purger: queue,
    close: async () => {
      await queue.close();
      queueRedis.disconnect();
    },
  };
};
