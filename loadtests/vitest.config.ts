import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Unit tests of the load-test code. The root config's projects do not cover loadtests/,
 * so they run with `vitest run --root loadtests` (or `--config loadtests/vitest.config.ts`).
 */
const loadtests = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  // Keep vite's cache with the project's, not in a second node_modules under loadtests/.
  cacheDir: fileURLToPath(new URL("../node_modules/.vite", import.meta.url)),
  test: {
    root: loadtests,
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**"],
  },
});
