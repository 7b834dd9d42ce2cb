import { availableParallelism } from "node:os";
import { z } from "zod";
import { databaseConfigProblems, postgresUrl, postgresUrlList } from "./db/database-config.ts";
import { edgePurgeEnv, edgePurgeProblems, edgePurgeQueueSettings, edgePurgeTarget } from "./purge/edge-purge-config.ts";
import { parseRedisUrl } from "./redis/redis-url.ts";

/**
 * The origin's whole configuration, parsed once at start-up from the environment.
 * Everything else receives the typed result and never reads `process.env`.
 */
export const developmentJwtSecret = "conduit-local-development-secret-do-not-use-in-production";

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const onOff = (fallback: "on" | "off") =>
  z
    .enum(["on", "off"])
    .default(fallback)
    .transform((value) => value === "on");

export const configSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: integer(1, 65_535).default(3001),
    ORIGIN_WORKERS: integer(1, 256).default(availableParallelism()),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    /** Connections per worker: instances x workers x this must stay below max_connections. */
    DB_POOL_MAX: integer(1, 100).default(10),
    DB_STATEMENT_TIMEOUT_MS: integer(100, 600_000).default(5_000),
    DB_CONNECT_TIMEOUT_S: integer(1, 60).default(5),
    /** Streaming replicas (comma-separated URLs) that serve selects; see docs/beyond-one-machine.md. */
    DATABASE_REPLICA_URLS: postgresUrlList,
    /** Postgres itself, for migrations, when DATABASE_URL goes through PgBouncer; defaults to DATABASE_URL. */
    DATABASE_MIGRATION_URL: postgresUrl.optional(),
    /** `transaction`: the URLs go through PgBouncer in transaction pooling (no prepared statements). */
    DB_POOLING: z.enum(["session", "transaction"]).default("session"),
    /** A replica whose view of the primary is older than this serves no read. */
    DB_REPLICA_MAX_LAG_MS: integer(100, 600_000).default(2_000),
    DB_REPLICA_CHECK_INTERVAL_MS: integer(50, 60_000).default(500),
    /** After a write, the writer's reads go to the primary this long. */
    DB_READ_YOUR_WRITES_MS: integer(100, 3_600_000).default(2_000),
    JWT_SECRET: z.string().min(32).optional(),
    JWT_TTL_SECONDS: integer(60, 31_536_000).default(7 * 24 * 3600),
    JWT_ISSUER: z.string().min(1).default("conduit-hybrid"),
    BODY_LIMIT_BYTES: integer(1_024, 16 * 1_048_576).default(1_048_576),
    CORS_ORIGINS: z
      .string()
      .default("*")
      .transform((value) =>
        value
          .split(",")
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** In-flight requests get this long to finish on SIGTERM before the worker exits anyway. */
    SHUTDOWN_TIMEOUT_MS: integer(100, 120_000).default(10_000),
    /** Above NGINX's upstream keepalive_timeout (4 s), so NGINX never reuses a closing socket. */
    KEEP_ALIVE_TIMEOUT_MS: integer(1_000, 600_000).default(65_000),
    /** Bounds a slow client; NGINX buffers requests, so it only bites without NGINX in front. */
    REQUEST_TIMEOUT_MS: integer(1_000, 600_000).default(30_000),
    MIGRATE_ON_START: onOff("on"),
    /** Unset: no shared cache, and rate limits per worker only (a loud warning at start). */
    REDIS_URL: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === "") return undefined;
        const parsed = parseRedisUrl(value);
        if (parsed.ok) return parsed.target;
        ctx.addIssue({ code: "custom", message: parsed.problem });
        return z.NEVER;
      }),
    ORIGIN_CACHE: onOff("on"),
    /** Entries are purged by tag on every write; the TTL only bounds memory. */
    ORIGIN_CACHE_TTL_S: integer(1, 86_400).default(300),
    RATE_LIMIT: onOff("on"),
    /** Requests per window per client IP: far above what one honest client sends. */
    RATE_LIMIT_IP_POINTS: integer(1, 10_000_000).default(3_000),
    /** Requests per window per signed-in user. */
    RATE_LIMIT_USER_POINTS: integer(1, 10_000_000).default(1_200),
    RATE_LIMIT_WINDOW_S: integer(1, 86_400).default(60),
    /** Redis down: `local` limits per worker meanwhile, `allow` lets everything through. */
    RATE_LIMIT_WHEN_REDIS_DOWN: z.enum(["local", "allow"]).default("local"),
    /**
     * Addresses whose X-Forwarded-For / X-Forwarded-Proto we believe (proxy-addr's syntax:
     * `loopback`, `uniquelocal`, CIDRs). Anyone else's are ignored, so a client cannot forge
     * its address past the per-IP limit.
     */
    TRUSTED_PROXIES: z.string().default("loopback"),
    /** A worker whose resident memory passes this is replaced the rolling way; 0 turns it off. */
    WORKER_MAX_RSS_MB: integer(0, 1_048_576).default(1_024),
    /** Password hashes a worker computes at once (each about 20 ms of one core). */
    PASSWORD_HASH_CONCURRENCY: integer(1, 64).default(1),
    /** Sign-ins waiting for a hash slot, per worker, before more are refused with a 503. */
    PASSWORD_HASH_QUEUE: integer(0, 100_000).default(64),
    /** Nice value of the threads that hash (0: same priority as the event loop). */
    PASSWORD_HASH_NICE: integer(0, 19).default(10),
    /** libuv's pool per worker; unset: PASSWORD_HASH_CONCURRENCY + 2 (see cluster/primary.ts). */
    UV_THREADPOOL_SIZE: integer(1, 1_024).optional(),
    /** Failed sign-ins for one email from one address before that pair waits out the window. */
    LOGIN_FAILURES_PER_ACCOUNT_AND_IP: integer(1, 100_000).default(10),
    /** Failed sign-ins for one email from anywhere (distributed guessing). */
    LOGIN_FAILURES_PER_ACCOUNT: integer(1, 1_000_000).default(100),
    /** Failed sign-ins from one address, whatever the email (credential stuffing). */
    LOGIN_FAILURES_PER_IP: integer(1, 1_000_000).default(300),
    LOGIN_FAILURE_WINDOW_S: integer(1, 86_400).default(900),
    /** A crashed worker is restarted after this, doubled for each crash close to the last. */
    WORKER_RESTART_DELAY_MS: integer(1, 60_000).default(100),
    /** More crashes than this within a minute is a crash loop: the instance gives up. */
    WORKER_CRASH_LIMIT: integer(1, 1_000).default(10),
    /** A new worker that is not ready by then is killed and the old one kept. */
    WORKER_READY_TIMEOUT_MS: integer(1_000, 600_000).default(30_000),
    /**
     * While draining, idle keep-alive sockets are left for the client to close (NGINX closes
     * its idle upstream sockets after its keepalive_timeout) before we close them: a socket
     * we close can be one NGINX is just writing a request to.
     */
    DRAIN_IDLE_GRACE_MS: integer(0, 120_000).default(6_000),
    /** Which edges hear of every write: origin/purge/edge-purge-config.ts. */
    ...edgePurgeEnv,
  })
  .transform((env, ctx) => {
    const databaseProblems = databaseConfigProblems({ ...env, redis: env.REDIS_URL !== undefined });
    for (const problem of databaseProblems) ctx.addIssue({ code: "custom", ...problem });
    if (databaseProblems.length > 0) return z.NEVER;
    const edgePurgeIssues = edgePurgeProblems(env);
    for (const problem of edgePurgeIssues) ctx.addIssue({ code: "custom", ...problem });
    if (edgePurgeIssues.length > 0) return z.NEVER;
    const production = env.NODE_ENV === "production";
    if (production && (env.JWT_SECRET === undefined || env.JWT_SECRET === developmentJwtSecret)) {
      ctx.addIssue({
        code: "custom",
        path: ["JWT_SECRET"],
        message: "must be set to a secret of 32+ characters in production",
      });
      return z.NEVER;
    }
    return {
      env: env.NODE_ENV,
      host: env.HOST,
      port: env.PORT,
      workers: env.ORIGIN_WORKERS,
      database: {
        url: env.DATABASE_URL,
        poolMax: env.DB_POOL_MAX,
        statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
        connectTimeoutSeconds: env.DB_CONNECT_TIMEOUT_S,
        migrateOnStart: env.MIGRATE_ON_START,
        migrationUrl: env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL,
        pooling: env.DB_POOLING,
        replicas: {
          urls: env.DATABASE_REPLICA_URLS,
          maxLagMs: env.DB_REPLICA_MAX_LAG_MS,
          checkIntervalMs: env.DB_REPLICA_CHECK_INTERVAL_MS,
          readYourWritesMs: env.DB_READ_YOUR_WRITES_MS,
        },
      },
      jwt: { secret: env.JWT_SECRET ?? developmentJwtSecret, ttlSeconds: env.JWT_TTL_SECONDS, issuer: env.JWT_ISSUER },
      http: {
        bodyLimitBytes: env.BODY_LIMIT_BYTES,
        corsOrigins: env.CORS_ORIGINS,
        keepAliveTimeoutMs: env.KEEP_ALIVE_TIMEOUT_MS,
        requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
        shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      },
      logLevel: env.LOG_LEVEL,
      redis: env.REDIS_URL,
      cache: { enabled: env.ORIGIN_CACHE, ttlSeconds: env.ORIGIN_CACHE_TTL_S },
      rateLimit: {
        enabled: env.RATE_LIMIT,
        ipPoints: env.RATE_LIMIT_IP_POINTS,
        userPoints: env.RATE_LIMIT_USER_POINTS,
        windowSeconds: env.RATE_LIMIT_WINDOW_S,
        whenRedisDown: env.RATE_LIMIT_WHEN_REDIS_DOWN,
      },
      passwords: {
        concurrency: env.PASSWORD_HASH_CONCURRENCY,
        maxQueued: env.PASSWORD_HASH_QUEUE,
        threadPoolSize: env.UV_THREADPOOL_SIZE ?? env.PASSWORD_HASH_CONCURRENCY + 2,
        nice: env.PASSWORD_HASH_NICE,
      },
      loginGuard: {
        enabled: env.RATE_LIMIT,
        perAccountAndIp: env.LOGIN_FAILURES_PER_ACCOUNT_AND_IP,
        perAccount: env.LOGIN_FAILURES_PER_ACCOUNT,
        perIp: env.LOGIN_FAILURES_PER_IP,
        windowSeconds: env.LOGIN_FAILURE_WINDOW_S,
      },
      trustedProxies: env.TRUSTED_PROXIES.split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
      cluster: {
        maxRssBytes: env.WORKER_MAX_RSS_MB * 1_048_576,
        readyTimeoutMs: env.WORKER_READY_TIMEOUT_MS,
        restartDelayMs: env.WORKER_RESTART_DELAY_MS,
        crashLimit: env.WORKER_CRASH_LIMIT,
        drainIdleGraceMs: env.DRAIN_IDLE_GRACE_MS,
      },
      edgePurge: edgePurgeTarget(env),
      edgePurgeQueue: edgePurgeQueueSettings(env),
    };
  });

export type Config = z.infer<typeof configSchema>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export const parseConfig = (env: Record<string, string | undefined>): ConfigResult => {
  const result = configSchema.safeParse(env);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`),
  };
};
