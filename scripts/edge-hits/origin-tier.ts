import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { parseCpuList, pinProcessTree } from "../../stack/core-pinning.ts";
import { startEmbeddedPostgres } from "../../stack/embedded-postgres.ts";
import { freePort } from "../../stack/free-port.ts";
import { startOriginInstance } from "../../stack/origin-instance.ts";
import { startRedisServer } from "../../stack/redis-server.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";

/**
 * The origin tier the edge benchmark fills its cache from: an embedded Postgres, a private
 * Redis and one origin instance of one worker, all on `cpus`. It only serves the warm-up:
 * during a measured run every answer must come from the edge.
 */
export interface OriginTier {
  url: string;
  jwtSecret: string;
  pid: number;
  /** Requests the origin has answered so far (its `/metrics`): a hit-only run must not move it. */
  answeredRequests: () => Promise<number>;
  stop: () => Promise<void>;
}

const requestCount = (metrics: string) =>
  metrics
    .split("\n")
    .filter((line) => line.startsWith("http_request_duration_seconds_count"))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);

export const startOriginTier = async (cpus: string): Promise<OriginTier> => {
  const root = await scratchDirectory("conduit-edge-hits-");
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(root, "postgres"),
    port: await freePort(),
    persistent: false,
  });
  const redis = await startRedisServer({ port: await freePort(), dir: path.join(root, "redis") });
  // Before the origin connects, so the backends Postgres forks for it inherit the pinning.
  for (const part of [postgres, redis]) await pinProcessTree(part.process.child.pid ?? 0, parseCpuList(cpus));
  const jwtSecret = randomBytes(32).toString("hex");
  const stopDependencies = async () => {
    await redis.stop();
    await postgres.stop();
    await rm(root, { recursive: true, force: true });
  };
  try {
    const origin = await startOriginInstance({
      name: "origin",
      port: await freePort(),
      databaseUrl: postgres.url,
      workers: 1,
      env: {
        NODE_ENV: "production",
        JWT_SECRET: jwtSecret,
        LOG_LEVEL: "warn",
        RATE_LIMIT: "off",
        REDIS_URL: redis.url,
      },
      output: "ignore",
      cpus,
    });
    return {
      url: origin.url,
      jwtSecret,
      pid: origin.process.child.pid ?? 0,
      answeredRequests: async () => requestCount(await (await fetch(`${origin.url}/metrics`)).text()),
      stop: async () => {
        await origin.process.stop();
        await stopDependencies();
      },
    };
  } catch (error) {
    await stopDependencies();
    throw error;
  }
};
