import { inject } from "vitest";
import type { LocalCertificates } from "../../../stack/local-ca.ts";
import { testJwtSecret } from "../../support/test-secrets.ts";

export interface SharedOrigin {
  name: string;
  port: number;
  url: string;
  /** The instance's stdout (its primary's and workers' JSON lines), appended as they come. */
  logFile: string;
}

/** What the nginx project's global setup started for every test file. */
export interface NginxTestServices {
  /** A scratch directory (mode 755) for each test's NGINX prefix. */
  root: string;
  databaseUrl: string;
  origins: SharedOrigin[];
  staticDir: string;
  tls: LocalCertificates;
}

/**
 * Origins log every request at `info`. Their own rate limiter is off: these tests are
 * about NGINX's, and must tell its 429s from the app's.
 */
export const originEnv = { JWT_SECRET: testJwtSecret, LOG_LEVEL: "info", NODE_ENV: "test", RATE_LIMIT: "off" };

export const nginxServices = (): NginxTestServices => inject("nginxServices");
