import { describe, expect, it } from "vitest";
import { parseEdgeConfig } from "./edge-config.ts";

const secret = "x".repeat(32);

describe("edge configuration", () => {
  it("defaults to the local NGINX and takes the secrets from the environment", () => {
    const parsed = parseEdgeConfig({ JWT_SECRET: secret, PURGE_SECRET: "p".repeat(16) });
    expect(parsed.ok && parsed.config).toMatchObject({
      originUrl: "http://127.0.0.1:8080",
      jwt: { secret, issuer: "conduit-hybrid" },
      purgeSecret: "p".repeat(16),
      isolates: 1,
      testClock: false,
    });
  });

  it("refuses to run without the JWT secret, naming it", () => {
    expect(parseEdgeConfig({})).toEqual({ ok: false, problems: [expect.stringMatching(/^JWT_SECRET: /)] });
  });

  it("drops a trailing slash from the origin URL", () => {
    const parsed = parseEdgeConfig({ JWT_SECRET: secret, ORIGIN_URL: "http://nginx:8080/" });
    expect(parsed.ok && parsed.config.originUrl).toBe("http://nginx:8080");
  });

  it("leaves the purge endpoint closed without a purge secret", () => {
    const parsed = parseEdgeConfig({ JWT_SECRET: secret });
    expect(parsed.ok && parsed.config.purgeSecret).toBeUndefined();
  });
});
