import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The scale-out project: each file starts its own origin tier (Postgres, Redis, several
 * clustered instances) and breaks parts of it. Files run one at a time: they measure
 * failures under load, and two of them at once on two cores would measure each other.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "scale",
    include: ["**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
