import { availableParallelism } from "node:os";
import { z } from "zod";

/**
 * The local stack's settings (the contract in design.md), parsed once from the environment
 * by the start command. The origin's own settings pass through to it untouched.
 */
const port = z.coerce.number().int().min(1).max(65_535);

export const stackConfigSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  EMBEDDED_PG_PORT: port.default(54329),
  NGINX_PORT: port.default(8080),
  ORIGIN_WORKERS: z.coerce.number().int().min(1).max(256).default(availableParallelism()),
  SEED_USERS: z.coerce.number().int().min(0).default(200),
  SEED_ARTICLES: z.coerce.number().int().min(0).default(2_000),
});

export type StackConfig = z.infer<typeof stackConfigSchema>;
