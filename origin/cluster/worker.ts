import { createTokenService } from "../../shared/auth/token.ts";
import { createOriginApp } from "../app/origin-app.ts";
import type { Config } from "../config.ts";
import { createDatabase } from "../db/client.ts";
import { startNodeServer } from "../http/node-server.ts";
import { createLogger } from "../logger.ts";
import { isMessage, type PrimaryToWorker, type WorkerToPrimary } from "./messages.ts";

/**
 * A cluster worker: one database pool, one HTTP server on the port the primary shares.
 * It drains when the primary asks or a signal arrives, whichever comes first.
 */
export const runWorker = (config: Config, workerId: number) => {
  const logger = createLogger(config.logLevel, `worker-${workerId}`);
  const database = createDatabase({
    url: config.database.url,
    poolMax: config.database.poolMax,
    statementTimeoutMs: config.database.statementTimeoutMs,
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
    applicationName: `conduit-origin-worker-${workerId}`,
  });
  const tokens = createTokenService(config.jwt);
  const app = createOriginApp({ config, database, tokens, logger });
  const http = startNodeServer(app.fetch, config, () => {
    process.send?.({ type: "ready" } satisfies WorkerToPrimary);
  });

  let draining = false;
  const drain = async (reason: string) => {
    if (draining) return;
    draining = true;
    logger.info({ reason }, "draining");
    const outcome = await http.drain(config.http.shutdownTimeoutMs);
    await database.close();
    logger.info({ outcome }, "drained");
    process.exit(outcome === "drained" ? 0 : 1);
  };

  process.on("message", (message: unknown) => {
    if (isMessage<PrimaryToWorker>(message, "drain")) void drain("asked by primary");
  });
  // Ctrl-C reaches the whole process group: the worker drains instead of dying mid-request.
  process.on("SIGTERM", () => void drain("SIGTERM"));
  process.on("SIGINT", () => void drain("SIGINT"));
  // The primary died without asking: nobody will restart us or route to us.
  process.on("disconnect", () => void drain("primary gone"));
};
