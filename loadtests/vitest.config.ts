import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** Unit tests of the load-test code; the root config lists this file among its projects. */
const loadtests = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  // Keep vite's cache with the project's, not in a second node_modules under loadtests/.
  cacheDir: fileURLToPath(new URL("../node_modules/.vite", import.meta.url)),
  test: {
    name: "loadtests",
    root: loadtests,
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**"],
  },
});
