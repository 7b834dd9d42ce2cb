import { defineConfig } from "vitest/config";

/**
 * `unit`: pure logic, tests beside the code. `api`: the HTTP API against a real Postgres
 * and a real clustered origin that the global setup starts on loopback ports. `ops` and
 * the load-test units keep their own configs, listed here so one `vitest run` runs all.
 */
export default defineConfig({
  test: {
    projects: [
      "test/ops/vitest.config.ts",
      "test/nginx/vitest.config.ts",
      "loadtests/vitest.config.ts",
      "test/scale/vitest.config.ts",
      "test/replicas/vitest.config.ts",
      "test/bench/vitest.config.ts",
      "test/edge/vitest.config.ts",
      "test/edge/api-through-wrangler/vitest.config.ts",
      "test/edge/api-through-deno/vitest.config.ts",
      {
        test: {
          name: "unit",
          include: ["{shared,origin,edge,stack,scripts}/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "api",
          include: ["test/api/**/*.test.ts", "**/*.integration.test.ts"],
          exclude: ["**/node_modules/**"],
          globalSetup: ["test/support/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
