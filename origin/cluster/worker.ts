import { createTokenService } from "../../shared/auth/token.ts";
import { createOriginApp } from "../app/origin-app.ts";
import { lowerThreadPoolPriority } from "../auth/thread-pool-priority.ts";
import type { Config } from "../config.ts";
import { createDatabase } from "../db/client.ts";
import { mountMetricsRoute } from "../http/metrics-route.ts";
import { startNodeServer } from "../http/node-server.ts";
import { createLogger } from "../logger.ts";
import { createWorkerMetrics } from "../observability/worker-metrics.ts";
import { createEdgePurging } from "../purge/create-edge-purging.ts";
import { createRedisConnection, isRedisReady } from "../redis/redis-connection.ts";
import { isMessage, type PrimaryToWorker, type WorkerToPrimary } from "./messages.ts";
import { whenDatabaseAnswers } from "./readiness.ts";

/**
 * A cluster worker: one database pool, one Redis connection, one HTTP server on the port
 * the primary shares. It tells the primary when it is ready and how much memory it holds,
 * and drains when the primary asks or a signal arrives, whichever comes first.
 */
const memoryReportIntervalMs = 5_000;

export const runWorker = (config: Config, workerId: number) => {
  const logger = createLogger(config.logLevel, `worker-${workerId}`);
  const send = (message: WorkerToPrimary) => process.send?.(message);
  const redis = config.redis
    ? createRedisConnection(config.redis, `conduit-origin-worker-${workerId}`, logger)
    : undefined;
  if (!redis) logger.warn("REDIS_URL is not set: no shared response cache, rate limits count per worker");
  const metrics = createWorkerMetrics(() => redis !== undefined && isRedisReady(redis));
  const database = createDatabase({
    url: config.database.url,
    poolMax: config.database.poolMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    applicationName: `conduit-origin-worker-${workerId}`,
    pooling: config.database.pooling,
    replicas: { ...config.database.replicas, primaryCheckUrl: config.database.migrationUrl, logger },
  });
  const tokens = createTokenService(config.jwt);
  void lowerThreadPoolPriority(config.passwords.nice, logger);
  const edgePurging = createEdgePurging({
    target: config.edgePurge,
    queue: config.edgePurgeQueue,
    redisTarget: config.redis,
    registry: metrics.registry,
    logger,
    name: `conduit-origin-worker-${workerId}`,
  });
  const app = createOriginApp({ config, database, tokens, logger, redis, metrics, edgePurger: edgePurging.purger });
  mountMetricsRoute(app, askPrimaryForMetrics);
  const http = startNodeServer(app.fetch, config, () => {
    void whenDatabaseAnswers(database, config.cluster.readyTimeoutMs).then((answered) => {
      if (answered) send({ type: "ready" });
      else logger.error("postgres did not answer: listening, but not reporting ready");
    });
  });
  const memoryReports = setInterval(
    () => send({ type: "memory", rssBytes: process.memoryUsage.rss() }),
    memoryReportIntervalMs,
  );
  memoryReports.unref();

  let draining = false;
  const drain = async (reason: string) => {
    if (draining) return;
    draining = true;
    clearInterval(memoryReports);
    logger.info({ reason }, "draining");
    const outcome = await http.drain({
      timeoutMs: config.http.shutdownTimeoutMs,
      idleGraceMs: config.cluster.drainIdleGraceMs,
    });
    // Jobs still queued stay in Redis for the other workers and instances, or the next start.
    await edgePurging.close();
    await database.close();
    redis?.disconnect();
    logger.info({ outcome }, "drained");
    process.exit(outcome === "drained" ? 0 : 1);
  };

  process.on("message", (message: unknown) => {
    if (isMessage<PrimaryToWorker, "drain">(message, "drain")) void drain("asked by primary");
    if (isMessage<PrimaryToWorker, "metrics">(message, "metrics"))
      metricsReplies.get(message.requestId)?.(message.text);
  });
  // Ctrl-C reaches the whole process group: the worker drains instead of dying mid-request.
  process.on("SIGTERM", () => void drain("SIGTERM"));
  process.on("SIGINT", () => void drain("SIGINT"));
  // The primary died without asking: nobody will restart us or route to us.
  process.on("disconnect", () => void drain("primary gone"));
};

/** /metrics on any worker answers for the whole instance: the primary sums every worker's values. */
const metricsReplies = new Map<number, (text: string) => void>();
let nextMetricsRequest = 0;
const metricsTimeoutMs = 5_000;

const askPrimaryForMetrics = () =>
  new Promise<string>((resolve, reject) => {
    const requestId = nextMetricsRequest++;
    const timer = setTimeout(() => {
      metricsReplies.delete(requestId);
      reject(new Error("the primary did not answer the metrics request"));
    }, metricsTimeoutMs);
    metricsReplies.set(requestId, (text) => {
      clearTimeout(timer);
      metricsReplies.delete(requestId);
      resolve(text);
    });
    process.send?.({ type: "metrics-request", requestId } satisfies WorkerToPrimary);
  });
