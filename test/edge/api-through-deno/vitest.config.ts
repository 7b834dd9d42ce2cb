import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Transparency: the origin's API suite (test/api), unchanged, through the edge under
 * deno. Its global setup starts what test/support/global-setup.ts starts, plus the edge,
 * and hands the tests the edge's URL as `originUrl`.
 */
export default defineConfig({
  test: {
    name: "api-through-deno",
    // In a projects list, only `test.root` moves a project's root away from its config file.
    root: fileURLToPath(new URL("../../..", import.meta.url)),
    include: ["test/api/**/*.test.ts"],
    exclude: ["**/node_modules/**"],
    globalSetup: [fileURLToPath(new URL("./global-setup.ts", import.meta.url))],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
