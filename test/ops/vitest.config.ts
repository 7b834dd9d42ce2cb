import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The ops project: static checks of the Dockerfile, compose file, Kubernetes manifests and
 * monitoring config. Run alone with `vitest run --config test/ops/vitest.config.ts`, or list
 * this file among the root config's `projects`.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "ops",
    include: ["**/*.test.ts"],
  },
});
