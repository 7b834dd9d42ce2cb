import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The bench project: the report drawn in a real headless Chromium, the CPU-budget cgroups,
 * and short real runs of the native load runner and of the bench itself against a stack
 * each file starts on free ports. Files run one at a time: two load runs at once on two
 * cores would measure each other.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "bench",
    include: ["**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
