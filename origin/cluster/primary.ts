import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, Counter, Gauge, type PrometheusContentType, Registry } from "prom-client";
import type { Config } from "../config.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { createLogger } from "../logger.ts";
import { guardConnectionHandoffs } from "./connection-handoff-guard.ts";
import { isMessage, type PrimaryToWorker, type WorkerToPrimary } from "./messages.ts";
import { RestartPolicy } from "./restart-policy.ts";
import { WorkerPool } from "./worker-pool.ts";

/**
 * The cluster primary: migrates once, forks the workers, and then only supervises.
 * - A worker that dies unasked is replaced after a backoff; a crash loop ends the instance.
 * - SIGHUP replaces every worker the rolling way: a new one first, and only once it is
 *   ready does an old one drain. A worker past the memory limit is replaced the same way.
 * - SIGTERM or Ctrl-C drains every worker, bounded by the shutdown timeout, then exits.
 * - /metrics on any worker is answered from here: the sum of every worker's metrics.
 */
export const runPrimary = async (config: Config) => {
  const logger = createLogger(config.logLevel, "primary");
  if (config.database.migrateOnStart) {
    await migrateDatabase(config.database.migrationUrl);
    logger.info("migrations applied");
  }

  const aggregator = new AggregatorRegistry<PrometheusContentType>();
  const own = new Registry();
  const restarts = new Counter({
    name: "origin_worker_replacements_total",
    help: "Workers replaced, by reason: crash, reload, memory",
    labelNames: ["reason"] as const,
    registers: [own],
  });
  const liveWorkers = new Gauge({ name: "origin_workers", help: "Workers running", registers: [own] });

  // libuv's pool runs the password hashes and also fs and dns work: as many threads as
  // hashes may run at once, plus two so file and name lookups never queue behind a storm.
  const workerEnv = { UV_THREADPOOL_SIZE: String(config.passwords.threadPoolSize) };
  const pool = new WorkerPool({
    fork: () => {
      const worker = cluster.fork(workerEnv);
      guardConnectionHandoffs(worker, logger);
      return worker;
    },
    readyTimeoutMs: config.cluster.readyTimeoutMs,
    drainTimeoutMs: config.http.shutdownTimeoutMs + 2_000,
    logger,
  });
  const crashes = new RestartPolicy({
    baseDelayMs: config.cluster.restartDelayMs,
    maxDelayMs: Math.max(10_000, config.cluster.restartDelayMs),
    windowMs: 60_000,
    maxCrashes: config.cluster.crashLimit,
  });
  let stopping = false;

  cluster.on("message", (worker: Worker, message: unknown) => {
    if (isMessage<WorkerToPrimary, "ready">(message, "ready")) pool.markReady(worker);
    if (isMessage<WorkerToPrimary, "memory">(message, "memory")) {
      if (config.cluster.maxRssBytes > 0 && message.rssBytes > config.cluster.maxRssBytes && !stopping) {
        logger.warn({ worker: worker.id, rssBytes: message.rssBytes }, "worker over its memory limit: replacing it");
        void pool.replace([worker]).then((replaced) => restarts.inc({ reason: "memory" }, replaced));
      }
    }
    if (isMessage<WorkerToPrimary, "metrics-request">(message, "metrics-request")) {
      void instanceMetrics(aggregator, own).then((text) => {
        if (worker.isConnected())
          worker.send({ type: "metrics", requestId: message.requestId, text } satisfies PrimaryToWorker);
      });
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    liveWorkers.set(pool.size());
    if (stopping || pool.wasRetired(worker)) return;
    const decision = crashes.onExit(Date.now());
    if (decision.action === "give-up") {
      logger.fatal({ worker: worker.id, code, signal, crashes: decision.crashes }, "workers keep crashing: giving up");
      void shutdown("crash loop", 1);
      return;
    }
    logger.error({ worker: worker.id, code, signal, restartInMs: decision.delayMs }, "worker died: restarting");
    restarts.inc({ reason: "crash" });
    setTimeout(() => {
      if (!stopping) pool.add();
      liveWorkers.set(pool.size());
    }, decision.delayMs);
  });

  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, "shutting down: draining workers");
    await pool.drainAll();
    logger.info("stopped");
    process.exit(exitCode);
  };

  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGHUP", () => {
    if (stopping) return;
    logger.info("SIGHUP: rolling reload of every worker");
    void pool.replace(pool.current()).then((replaced) => {
      restarts.inc({ reason: "reload" }, replaced);
      logger.info({ replaced }, "rolling reload finished");
    });
  });

  logger.info({ workers: config.workers, port: config.port }, "starting workers");
  for (let i = 0; i < config.workers; i++) pool.add();
  liveWorkers.set(pool.size());
};

const instanceMetrics = async (
  aggregator: AggregatorRegistry<PrometheusContentType>,
  own: Registry,
): Promise<string> => {
  const [workers, primary] = await Promise.all([aggregator.clusterMetrics(), own.metrics()]);
  return `${workers}\n${primary}`;
};
