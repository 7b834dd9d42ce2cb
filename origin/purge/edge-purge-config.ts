import { z } from "zod";

/**
 * Which edges hear of writes, parsed with the rest of origin/config.ts: our own edges by URL
 * (EDGE_PURGE_URLS + EDGE_PURGE_SECRET), or Cloudflare's purge-by-tag API (CLOUDFLARE_ZONE_ID
 * + CLOUDFLARE_API_TOKEN), or none. One of them, never both: each alone is a complete answer.
 */
export const edgePurgeEnv = {
  /** Comma-separated base URLs of the edges, e.g. `http://127.0.0.1:8787`. */
  EDGE_PURGE_URLS: z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((url) => url.trim().replace(/\/+$/, ""))
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }))),
  /** The edges' PURGE_SECRET. */
  EDGE_PURGE_SECRET: z.string().min(16).optional(),
  /** A write waits at most this long for a slow edge; docs/timeouts.md. */
  EDGE_PURGE_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** Tries per purge and target before it becomes a dead letter (about 3 minutes of retries). */
  EDGE_PURGE_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(40),
  /** The longest wait between two tries: also how soon an edge that comes back hears of a purge. */
  EDGE_PURGE_RETRY_MAX_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** How long a write waits for its purges to be delivered before answering anyway. */
  EDGE_PURGE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  CLOUDFLARE_ZONE_ID: z.string().min(1).optional(),
  CLOUDFLARE_API_TOKEN: z.string().min(1).optional(),
};

type EdgePurgeEnv = z.infer<z.ZodObject<typeof edgePurgeEnv>>;

export type EdgePurgeTarget =
  | { kind: "none" }
  | { kind: "edges"; urls: string[]; secret: string; timeoutMs: number }
  | { kind: "cloudflare"; zoneId: string; apiToken: string; timeoutMs: number };

export const edgePurgeProblems = (env: EdgePurgeEnv): { path: string[]; message: string }[] => {
  const problems: { path: string[]; message: string }[] = [];
  if (env.EDGE_PURGE_URLS.length > 0 && env.EDGE_PURGE_SECRET === undefined) {
    problems.push({ path: ["EDGE_PURGE_SECRET"], message: "is required with EDGE_PURGE_URLS" });
  }
  if ((env.CLOUDFLARE_ZONE_ID === undefined) !== (env.CLOUDFLARE_API_TOKEN === undefined)) {
    problems.push({
      path: ["CLOUDFLARE_API_TOKEN"],
      message: "CLOUDFLARE_ZONE_ID and CLOUDFLARE_API_TOKEN go together",
    });
  }
  if (env.EDGE_PURGE_URLS.length > 0 && env.CLOUDFLARE_ZONE_ID !== undefined) {
    problems.push({ path: ["EDGE_PURGE_URLS"], message: "set EDGE_PURGE_URLS or CLOUDFLARE_ZONE_ID, not both" });
  }
  return problems;
};

/** The target of a configuration that `edgePurgeProblems` found nothing wrong with. */
export const edgePurgeTarget = (env: EdgePurgeEnv): EdgePurgeTarget => {
  if (env.CLOUDFLARE_ZONE_ID !== undefined && env.CLOUDFLARE_API_TOKEN !== undefined) {
    return {
      kind: "cloudflare",
      zoneId: env.CLOUDFLARE_ZONE_ID,
      apiToken: env.CLOUDFLARE_API_TOKEN,
      timeoutMs: env.EDGE_PURGE_TIMEOUT_MS,
    };
  }
  if (env.EDGE_PURGE_URLS.length > 0 && env.EDGE_PURGE_SECRET !== undefined) {
    return {
      kind: "edges",
      urls: env.EDGE_PURGE_URLS,
      secret: env.EDGE_PURGE_SECRET,
      timeoutMs: env.EDGE_PURGE_TIMEOUT_MS,
    };
  }
  return { kind: "none" };
};

export type EdgePurgeQueueSettings = ReturnType<typeof edgePurgeQueueSettings>;

export const edgePurgeQueueSettings = (env: EdgePurgeEnv) => ({
  attempts: env.EDGE_PURGE_ATTEMPTS,
  retryMaxMs: env.EDGE_PURGE_RETRY_MAX_MS,
  waitMs: env.EDGE_PURGE_WAIT_MS,
  concurrency: 16,
});
