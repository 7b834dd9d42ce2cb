import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../stack/embedded-postgres.ts";
import { freePort } from "../../stack/free-port.ts";
import { ensureLocalCertificates } from "../../stack/local-ca.ts";
import { type OriginInstance, startOriginInstance } from "../../stack/origin-instance.ts";
import { scratchDirectory } from "../../stack/scratch-directory.ts";
import { buildStaticSite } from "../../stack/static-site.ts";
import { type NginxTestServices, originEnv } from "./support/services.ts";

declare module "vitest" {
  export interface ProvidedContext {
    nginxServices: NginxTestServices;
  }
}

/**
 * What every nginx test shares: one Postgres, two origin instances of two workers each
 * (their log lines in files, so tests in other processes can read them), the static site
 * and a local CA. Each test file starts its own nginx in front of them.
 */
export default async function setup(project: TestProject) {
  const root = await scratchDirectory("conduit-nginx-test-");
  const postgres = await startEmbeddedPostgres({
    dataDir: path.join(root, "postgres"),
    port: await freePort(),
    persistent: false,
    settings: { max_connections: "200" },
  });
  const origins: OriginInstance[] = [];
  try {
    const described = [];
    for (const name of ["origin-a", "origin-b"]) {
      const port = await freePort();
      const logFile = path.join(root, `${name}.log`);
      const log = createWriteStream(logFile, { flags: "a" });
      origins.push(
        await startOriginInstance({
          name,
          port,
          databaseUrl: postgres.url,
          workers: 2,
          env: originEnv,
          output: (line) => log.write(`${line}\n`),
        }),
      );
      described.push({ name, port, url: `http://127.0.0.1:${port}`, logFile });
    }
    const staticSite = await buildStaticSite(path.join(root, "static"));
    const tls = await ensureLocalCertificates(path.join(root, "tls"));
    project.provide("nginxServices", {
      root,
      databaseUrl: postgres.url,
      origins: described,
      staticDir: staticSite.dir,
      tls,
    });
  } catch (error) {
    for (const origin of origins) await origin.process.stop();
    await postgres.stop();
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    for (const origin of origins) await origin.process.stop();
    await postgres.stop();
    await rm(root, { recursive: true, force: true });
  };
}
