import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The nginx project: the real Debian nginx in front of two real origin instances on a real
 * Postgres, all on free loopback ports. The root config lists this file among its projects.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: {
    name: "nginx",
    include: ["**/*.test.ts"],
    globalSetup: ["global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
