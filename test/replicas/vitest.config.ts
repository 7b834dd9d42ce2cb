import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The replicas project: each file starts its own Postgres 15 primary and streaming replica,
 * Redis, PgBouncer where it needs one, and clustered origin instances, then pauses, stops or
 * pools them. Files run one at a time: each owns its servers' state (a paused replica).
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "replicas",
    include: ["**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
