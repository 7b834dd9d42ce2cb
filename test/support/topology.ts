import { rm } from "node:fs/promises";
import path from "node:path";
import { type RunningPostgres, startEmbeddedPostgres } from "../../stack/embedded-postgres.ts";
import { freePort } from "../../stack/free-port.ts";
import { type OriginInstance, startOriginInstance } from "../../stack/origin-instance.ts";
import { type RunningRedis, startRedisServer } from "../../stack/redis-server.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";
import { testJwtSecret } from "./test-secrets.ts";

/**
 * A private origin tier for one test file: a real Postgres, a real Redis and N origin
 * instances of M workers, on free loopback ports. Fault tests stop and restart its parts,
 * so each file gets its own rather than sharing the suite-wide one.
 */
export interface Topology {
  databaseUrl: string;
  redis: RunningRedis;
  redisPort: number;
  postgres: RunningPostgres;
  instances: OriginInstance[];
  /** Every origin log line, JSON, in arrival order. */
  logs: string[];
  /**
   * One more instance on this tier's Postgres and Redis, with the test defaults (no
   * migrations, no limits unless `env` turns them on); the caller stops it.
   */
  startInstance: (options: ExtraInstanceOptions) => Promise<OriginInstance>;
  /** Restarts Redis on the same port (an outage, then recovery). */
  restartRedis: () => Promise<void>;
  stopPostgres: () => Promise<void>;
  startPostgres: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface ExtraInstanceOptions {
  name: string;
  workers: number;
  /** Origin configuration on top of the test defaults; REDIS_URL "" runs it without Redis. */
  env?: Record<string, string>;
  port?: number;
  output?: "ignore" | ((line: string) => void);
}

export interface TopologyOptions {
  instances: number;
  workers: number;
  /** Origin configuration on top of the test defaults (origin/config.ts). */
  env?: Record<string, string>;
}

export const startTopology = async (options: TopologyOptions): Promise<Topology> => {
  const root = await scratchDirectory("conduit-topology-");
  const postgresPort = await freePort();
  const postgresOptions = {
    dataDir: path.join(root, "postgres"),
    port: postgresPort,
    persistent: true,
    settings: { shared_preload_libraries: "pg_stat_statements", max_connections: "200" },
  };
  let postgres = await startEmbeddedPostgres(postgresOptions);
  const redisPort = await freePort();
  const redisOptions = { port: redisPort, dir: path.join(root, "redis") };
  let redis = await startRedisServer(redisOptions);
  const logs: string[] = [];
  const instances: OriginInstance[] = [];
  const startInstance = async (extra: ExtraInstanceOptions) =>
    startOriginInstance({
      name: extra.name,
      port: extra.port ?? (await freePort()),
      databaseUrl: postgres.url,
      workers: extra.workers,
      env: {
        JWT_SECRET: testJwtSecret,
        NODE_ENV: "test",
        LOG_LEVEL: "info",
        REDIS_URL: redis.url,
        RATE_LIMIT: "off",
        MIGRATE_ON_START: "off",
        ...extra.env,
      },
      output: extra.output ?? ((line) => logs.push(line)),
    });
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.process.stop()));
    await redis.stop();
    await postgres.stop();
    await rm(root, { recursive: true, force: true });
  };
  try {
    for (let index = 0; index < options.instances; index++) {
      // Instances start one after another: only the first needs to migrate.
      const env = { MIGRATE_ON_START: index === 0 ? "on" : "off", ...options.env };
      instances.push(await startInstance({ name: `origin-${index}`, workers: options.workers, env }));
    }
  } catch (error) {
    console.error(logs.slice(-50).join("\n"));
    await stop();
    throw error;
  }
  return {
    databaseUrl: postgres.url,
    get redis() {
      return redis;
    },
    redisPort,
    get postgres() {
      return postgres;
    },
    instances,
    logs,
    startInstance,
    restartRedis: async () => {
      await redis.stop();
      redis = await startRedisServer(redisOptions);
    },
    stopPostgres: () => postgres.stop(),
    startPostgres: async () => {
      postgres = await startEmbeddedPostgres(postgresOptions);
    },
    stop,
  };
};
