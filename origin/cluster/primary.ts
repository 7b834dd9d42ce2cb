import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { createLogger } from "../logger.ts";
import { isMessage, type PrimaryToWorker, type WorkerToPrimary } from "./messages.ts";
import { RestartPolicy } from "./restart-policy.ts";

/**
 * The cluster primary: migrates once, forks the workers, replaces a worker that dies, and
 * on SIGTERM or Ctrl-C asks every worker to drain before it exits itself.
 */
export const runPrimary = async (config: Config) => {
  const logger = createLogger(config.logLevel, "primary");
  if (config.database.migrateOnStart) {
    await migrateDatabase(config.database.url);
    logger.info("migrations applied");
  }

  const restarts = new RestartPolicy();
  let stopping = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on("message", (message: unknown) => {
      if (isMessage<WorkerToPrimary>(message, "ready")) logger.info({ worker: worker.id }, "worker ready");
    });
    return worker;
  };

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    const decision = restarts.onExit(Date.now());
    if (decision.action === "give-up") {
      logger.fatal({ worker: worker.id, code, signal, crashes: decision.crashes }, "workers keep crashing: giving up");
      void shutdown(logger, "crash loop", 1);
      return;
    }
    logger.error({ worker: worker.id, code, signal, restartInMs: decision.delayMs }, "worker died: restarting");
    setTimeout(() => {
      if (!stopping) fork();
    }, decision.delayMs);
  });

  const shutdown = async (log: Logger, reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, "shutting down: draining workers");
    const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
    const exited = workers.map((worker) => new Promise((resolve) => worker.once("exit", resolve)));
    for (const worker of workers) worker.send({ type: "drain" } satisfies PrimaryToWorker);
    const grace = new Promise((resolve) => setTimeout(resolve, config.http.shutdownTimeoutMs + 2_000).unref());
    await Promise.race([Promise.all(exited), grace]);
    for (const worker of workers) if (!worker.isDead()) worker.kill("SIGKILL");
    log.info("stopped");
    process.exit(exitCode);
  };

  process.on("SIGTERM", () => void shutdown(logger, "SIGTERM", 0));
  process.on("SIGINT", () => void shutdown(logger, "SIGINT", 0));

  logger.info({ workers: config.workers, port: config.port }, "starting workers");
  for (let i = 0; i < config.workers; i++) fork();
};
