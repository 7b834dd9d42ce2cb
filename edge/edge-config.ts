import { z } from "zod";

/**
 * The edge's whole configuration, parsed once per isolate from Worker bindings (vars and
 * secrets) or Deno's environment: the same names in both runtimes.
 */
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const onOff = (fallback: "on" | "off") =>
  z
    .enum(["on", "off"])
    .default(fallback)
    .transform((value) => value === "on");

export const edgeConfigSchema = z
  .object({
    /** NGINX, or one origin instance; no trailing slash needed. */
    ORIGIN_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:8080"),
    /** The origin's JWT_SECRET: the edge refuses bad tokens itself. */
    JWT_SECRET: z.string().min(32),
    JWT_ISSUER: z.string().min(1).default("conduit-hybrid"),
    /** The shared secret of `POST /__edge/purge`; unset, the endpoint refuses everyone. */
    PURGE_SECRET: z.string().min(16).optional(),
    /** Above NGINX's 35 s read timeout, so NGINX's own answer arrives first (docs/timeouts.md). */
    ORIGIN_TIMEOUT_MS: integer(100, 600_000).default(40_000),
    /**
     * The origin's BODY_LIMIT_BYTES. A body that declares more is refused here, before it is
     * uploaded: the origin answers 413 as soon as it reads the length and closes the socket,
     * and a fetch still sending the body sees that as a failed request, not as the 413.
     */
    BODY_LIMIT_BYTES: integer(1_024, 104_857_600).default(1_048_576),
    /** The in-isolate hot-key cache in front of the Cache API; 0 turns it off. */
    MEMORY_CACHE_ENTRIES: integer(0, 1_000_000).default(10_000),
    MEMORY_CACHE_MB: integer(1, 4_096).default(64),
    /** Tags whose last purge each isolate remembers; past it, the oldest is forgotten conservatively. */
    PURGE_LOG_TAGS: integer(100, 10_000_000).default(100_000),
    /** Isolates of one `deno serve --parallel` process, which relay purges to each other. */
    EDGE_ISOLATES: integer(1, 1_024).default(1),
    /** How long a purge waits for the other isolates to confirm it. */
    PURGE_ACK_TIMEOUT_MS: integer(10, 60_000).default(1_000),
    CORS_ORIGINS: z
      .string()
      .default("*")
      .transform((value) =>
        value
          .split(",")
          .map((origin) => origin.trim())
          .filter(Boolean),
      ),
    /** Tests only: honour `x-edge-clock-skew-seconds`, so windows of hours are tested in seconds. */
    TEST_CLOCK: onOff("off"),
  })
  .transform((env) => ({
    originUrl: env.ORIGIN_URL.replace(/\/+$/, ""),
    jwt: { secret: env.JWT_SECRET, issuer: env.JWT_ISSUER },
    purgeSecret: env.PURGE_SECRET,
    originTimeoutMs: env.ORIGIN_TIMEOUT_MS,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    memoryCache: { maxEntries: env.MEMORY_CACHE_ENTRIES, maxBytes: env.MEMORY_CACHE_MB * 1_048_576 },
    purgeLogTags: env.PURGE_LOG_TAGS,
    isolates: env.EDGE_ISOLATES,
    purgeAckTimeoutMs: env.PURGE_ACK_TIMEOUT_MS,
    corsOrigins: env.CORS_ORIGINS,
    testClock: env.TEST_CLOCK,
  }));

export type EdgeConfig = z.infer<typeof edgeConfigSchema>;

export type EdgeConfigResult = { ok: true; config: EdgeConfig } | { ok: false; problems: string[] };

export const parseEdgeConfig = (env: Record<string, unknown>): EdgeConfigResult => {
  const result = edgeConfigSchema.safeParse(env);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`),
  };
};
