import { type Job, Queue, QueueEvents, Worker } from "bullmq";
import type { Logger } from "pino";
import { Counter, Gauge, type Registry } from "prom-client";
import type { RedisConnection } from "../redis/redis-connection.ts";
import { directEdgePurger } from "./direct-edge-purger.ts";
import type { EdgePurger } from "./edge-purger.ts";
import { PurgeNotDelivered, type PurgeTarget } from "./purge-target.ts";

/**
 * The purge fan-out as durable jobs (BullMQ on the Redis we already run): one job per
 * target per write, retried with exponential backoff until the target takes it, and kept
 * in BullMQ's failed set (the dead letters) when it never does. So an edge that is
 * unreachable for a minute still gets every purge once it answers, within one backoff step.
 *
 * Every origin worker both adds jobs and processes them: purges are small and I/O-bound,
 * need no process of their own to deploy, and any instance that survives keeps them moving.
 * Delivery is at least once (a worker killed mid-send leaves its job to be taken again once
 * its lock expires); that is safe because purging is idempotent: see purge-target.ts.
 *
 * A write waits for its jobs at most `waitMs`, so that normally every edge has dropped the
 * old copy before the writer's response leaves; past that the jobs go on in the background.
 * If the jobs cannot even be stored (Redis down), the purge is sent once directly instead.
 */
export interface PurgeQueueSettings {
  attempts: number;
  retryMaxMs: number;
  waitMs: number;
  concurrency: number;
}

interface PurgeJob {
  target: string;
  tags: string[];
}

export interface PurgeQueue extends EdgePurger {
  /** Stops taking jobs and waits for the ones running; the rest stay in Redis. */
  close: () => Promise<void>;
}

const queueName = "edge-purge";
// One hash slot for the queue's keys, as Redis Cluster requires for BullMQ's scripts.
const prefix = "{conduit-purge}";
const firstRetryMs = 250;
const addTimeoutMs = 1_000;

const timeout = (ms: number) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not stored within ${ms} ms`)), ms).unref());

export const retryDelayMs = (attemptsMade: number, retryMaxMs: number) =>
  Math.min(retryMaxMs, firstRetryMs * 2 ** Math.max(0, attemptsMade - 1));

export const createPurgeQueue = (deps: {
  targets: readonly PurgeTarget[];
  /** BullMQ's connection: no command timeout, no retry limit (its reads block). */
  redis: RedisConnection;
  settings: PurgeQueueSettings;
  /** The worker's registry: the job outcomes and queue depths join its /metrics. */
  registry: Registry;
  logger: Logger;
}): PurgeQueue => {
  const { targets, settings, logger } = deps;
  const byId = new Map(targets.map((target) => [target.id, target]));
  const fallback = directEdgePurger(targets, logger);
  const queue = new Queue<PurgeJob>(queueName, {
    connection: deps.redis,
    prefix,
    defaultJobOptions: {
      attempts: settings.attempts,
      backoff: { type: "capped-exponential" },
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: 10_000 },
    },
  });
  const events = new QueueEvents(queueName, { connection: deps.redis, prefix });
  const worker = new Worker<PurgeJob>(
    queueName,
    async (job: Job<PurgeJob>) => {
      const target = byId.get(job.data.target);
      // Added by an instance configured with a target this one does not know (a rollout of
      // a new edge list): leave it to a worker that does; it is a dead letter if none does.
      if (!target) throw new PurgeNotDelivered(`no target ${job.data.target} configured in this instance`);
      await target.send(job.data.tags);
    },
    {
      connection: deps.redis,
      prefix,
      concurrency: settings.concurrency,
      settings: { backoffStrategy: (attemptsMade) => retryDelayMs(attemptsMade, settings.retryMaxMs) },
    },
  );
  const outcomes = new Counter({
    name: "edge_purge_jobs_total",
    help: "Purge job attempts by outcome: delivered, retried, dead (given up), unqueued (Redis down, sent once)",
    labelNames: ["outcome"] as const,
    registers: [deps.registry],
  });
  new Gauge({
    name: "edge_purge_queue_jobs",
    help: "Purge jobs by state; failed are the dead letters",
    labelNames: ["state"] as const,
    registers: [deps.registry],
    // Every worker sees the same queue: across workers, the maximum, not the sum.
    aggregator: "max",
    async collect() {
      const counts = await queue.getJobCounts("waiting", "delayed", "active", "failed").catch(() => undefined);
      for (const [state, value] of Object.entries(counts ?? {})) this.set({ state }, value);
    },
  });
  worker.on("completed", () => outcomes.inc({ outcome: "delivered" }));
  worker.on("failed", (job, error) => {
    const dead = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    outcomes.inc({ outcome: dead ? "dead" : "retried" });
    if (dead)
      logger.error({ target: job?.data.target, tags: job?.data.tags, err: error }, "purge given up: dead letter");
  });
  worker.on("error", (error) => logger.warn({ err: error }, "purge worker error"));
  events.on("error", (error) => logger.warn({ err: error }, "purge events error"));

  return {
    purge: async (tags) => {
      if (targets.length === 0) return;
      let jobs: Job<PurgeJob>[];
      try {
        // The connection would wait for Redis to return; a write must not, so it only
        // queues while Redis is there, and gives the queue a second at most.
        if (deps.redis.status !== "ready") throw new Error(`redis is ${deps.redis.status}`);
        const adding = queue.addBulk(targets.map((target) => ({ name: "purge", data: { target: target.id, tags } })));
        jobs = await Promise.race([adding, timeout(addTimeoutMs)]);
      } catch (error) {
        logger.warn({ err: error }, "purge jobs not stored (redis unreachable): sending once, without retries");
        outcomes.inc({ outcome: "unqueued" });
        return fallback.purge(tags);
      }
      await Promise.all(jobs.map((job) => job.waitUntilFinished(events, settings.waitMs).catch(() => {})));
    },
    close: async () => {
      await worker.close();
      await Promise.all([events.close(), queue.close()]);
    },
  };
};
