import { rm } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type EdgeRuntime, type RunningEdge, startEdge } from "../../../stack/edge.ts";
import { startEmbeddedPostgres } from "../../../stack/embedded-postgres.ts";
import { freePort } from "../../../stack/free-port.ts";
import { type OriginInstance, startOriginInstance } from "../../../stack/origin-instance.ts";
import { startRedisServer } from "../../../stack/redis-server.ts";
import { scratchDirectory } from "../../../stack/scratch-directory.ts";
import { testJwtSecret } from "../../support/test-secrets.ts";
import { testPurgeSecret } from "./edge-stack.ts";

/**
 * The API suite's global setup (test/support/global-setup.ts) with an edge in front: the
 * same Postgres, Redis and clustered origin, and `originUrl` is the edge's URL, so every
 * test file of test/api runs unchanged through it. The origin knows the edge, as in the
 * real stack. Files that start origins of their own only need `databaseUrl`.
 */
export const apiThroughEdge =
  (runtime: EdgeRuntime, isolates = 1) =>
  async (project: TestProject) => {
    const dataRoot = await scratchDirectory(`conduit-test-${runtime}-`);
    const postgres = await startEmbeddedPostgres({
      dataDir: path.join(dataRoot, "postgres"),
      port: await freePort(),
      persistent: false,
      settings: { shared_preload_libraries: "pg_stat_statements", max_connections: "200" },
    });
    const redis = await startRedisServer({ port: await freePort(), dir: path.join(dataRoot, "redis") });
    const log: string[] = [];
    let origin: OriginInstance | undefined;
    let edge: RunningEdge | undefined;
    const stop = async () => {
      await edge?.stop();
      await origin?.process.stop();
      await redis.stop();
      await postgres.stop();
      await rm(dataRoot, { recursive: true, force: true });
    };
    try {
      const edgePort = await freePort();
      origin = await startOriginInstance({
        name: "origin",
        port: await freePort(),
        databaseUrl: postgres.url,
        workers: 2,
        env: {
          JWT_SECRET: testJwtSecret,
          LOG_LEVEL: "warn",
          NODE_ENV: "test",
          REDIS_URL: redis.url,
          RATE_LIMIT: "off",
          EDGE_PURGE_URLS: `http://127.0.0.1:${edgePort}`,
          EDGE_PURGE_SECRET: testPurgeSecret,
        },
        output: (line) => log.push(line),
      });
      edge = await startEdge({
        runtime,
        port: edgePort,
        isolates,
        originUrl: origin.url,
        jwtSecret: testJwtSecret,
        purgeSecret: testPurgeSecret,
        output: (line) => log.push(`[edge] ${line}`),
      });
      project.provide("originUrl", edge.url);
      project.provide("databaseUrl", postgres.url);
      project.provide("redisUrl", redis.url);
      return stop;
    } catch (error) {
      console.error(log.slice(-50).join("\n"));
      await stop();
      throw error;
    }
  };
