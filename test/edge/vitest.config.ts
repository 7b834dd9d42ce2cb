import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The edge project: each file starts its own Postgres, Redis, origin and edges (under
 * workerd via `wrangler dev`, and under Deno) on free loopback ports, and stops, stalls or
 * restarts the origin as it needs. Files run one at a time: they count the origin's
 * requests and time stale windows, and two stacks on two cores would disturb each other.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "edge",
    include: ["*.test.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
