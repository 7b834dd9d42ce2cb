import { availableParallelism } from "node:os";
import { z } from "zod";

/**
 * The local stack's settings (the contract in design.md), parsed once from the environment
 * by the start command. The origin's own settings (JWT_SECRET, LOG_LEVEL, ...) pass through
 * to the origin instances untouched and are checked there.
 */
const port = z.coerce.number().int().min(1).max(65_535);
const onOff = z
  .enum(["on", "off"])
  .default("on")
  .transform((value) => value === "on");

export const stackConfigSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.string().min(1).optional(),
  EMBEDDED_PG_PORT: port.default(54329),
  /** The private redis-server's port when REDIS_URL is unset. */
  REDIS_PORT: port.default(56379),
  NGINX_PORT: port.default(8080),
  NGINX_TLS_PORT: port.default(8443),
  ORIGIN_INSTANCES: z.coerce.number().int().min(1).max(16).default(2),
  ORIGIN_WORKERS: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
  ORIGIN_BASE_PORT: port.default(3001),
  EDGE_PORT: port.default(8787),
  /** `wrangler` (workerd, the local start's default), `deno` (deno serve --parallel), or `off`. */
  EDGE_RUNTIME: z.enum(["wrangler", "deno", "off"]).default("wrangler"),
  /** Unset: the origin's development secret, which the origin refuses in production. */
  JWT_SECRET: z.string().min(32).optional(),
  RATE_LIMIT: onOff,
  SEED_USERS: z.coerce.number().int().min(0).default(200),
  SEED_ARTICLES: z.coerce.number().int().min(0).default(2_000),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
