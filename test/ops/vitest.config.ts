import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The ops project: static checks of the Dockerfile, compose file, Kubernetes manifests and
 * monitoring config. The root config lists this file among its projects.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "ops",
    include: ["**/*.test.ts"],
  },
});
