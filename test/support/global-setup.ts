import { rm } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../stack/embedded-postgres.ts";
import { freePort } from "../../stack/free-port.ts";
import { startOriginInstance } from "../../stack/origin-instance.ts";
import { startRedisServer } from "../../stack/redis-server.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";
import { testJwtSecret } from "./test-secrets.ts";

declare module "vitest" {
  export interface ProvidedContext {
    originUrl: string;
    databaseUrl: string;
    redisUrl: string;
  }
}

/**
 * One real Postgres, one real Redis and one real origin instance (a cluster of two workers,
 * its response cache on) for the API tests, on free loopback ports. Tests use unique names,
 * so they can share them.
 */
export default async function setup(project: TestProject) {
  const dataRoot = await scratchDirectory("conduit-test-");
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(dataRoot, "postgres"),
    port: await freePort(),
    persistent: false,
    settings: { shared_preload_libraries: "pg_stat_statements", max_connections: "200" },
  });
  const redis = await startRedisServer({ port: await freePort(), dir: path.join(dataRoot, "redis") });
  const originLog: string[] = [];
  try {
    const origin = await startOriginInstance({
      name: "origin",
      port: await freePort(),
      databaseUrl: postgres.url,
      workers: 2,
      // Limits have their own tests (test/scale); this suite sends far more than an honest client.
      env: { JWT_SECRET: testJwtSecret, LOG_LEVEL: "warn", NODE_ENV: "test", REDIS_URL: redis.url, RATE_LIMIT: "off" },
      output: (line) => originLog.push(line),
    });
    project.provide("originUrl", origin.url);
    project.provide("databaseUrl", postgres.url);
    project.provide("redisUrl", redis.url);
    return async () => {
      await origin.process.stop();
      await redis.stop();
      await postgres.stop();
      await rm(dataRoot, { recursive: true, force: true });
    };
  } catch (error) {
    console.error(originLog.join("\n"));
    await redis.stop();
    await postgres.stop();
    throw error;
  }
}
