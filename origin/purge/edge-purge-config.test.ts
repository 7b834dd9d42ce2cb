import { describe, expect, it } from "vitest";
import { parseConfig } from "../config.ts";

const base = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" };
const secret = "s".repeat(16);

describe("edge purge configuration", () => {
  it("purges no edge unless told of one", () => {
    const parsed = parseConfig(base);
    expect(parsed.ok && parsed.config.edgePurge).toEqual({ kind: "none" });
  });

  it("posts to the listed edges with the shared secret", () => {
    const parsed = parseConfig({
      ...base,
      EDGE_PURGE_URLS: "http://127.0.0.1:8787/, http://edge-2:8787",
      EDGE_PURGE_SECRET: secret,
    });
    expect(parsed.ok && parsed.config.edgePurge).toEqual({
      kind: "edges",
      urls: ["http://127.0.0.1:8787", "http://edge-2:8787"],
      secret,
      timeoutMs: 2_000,
    });
  });

  it("uses Cloudflare's purge-by-tag API when given a zone and a token", () => {
    const parsed = parseConfig({ ...base, CLOUDFLARE_ZONE_ID: "zone", CLOUDFLARE_API_TOKEN: "token" });
    expect(parsed.ok && parsed.config.edgePurge).toEqual({
      kind: "cloudflare",
      zoneId: "zone",
      apiToken: "token",
      timeoutMs: 2_000,
    });
  });

  it.each([
    [{ EDGE_PURGE_URLS: "http://127.0.0.1:8787" }, /EDGE_PURGE_SECRET/],
    [{ EDGE_PURGE_URLS: "not a url", EDGE_PURGE_SECRET: secret }, /EDGE_PURGE_URLS/],
    [{ CLOUDFLARE_ZONE_ID: "zone" }, /CLOUDFLARE_API_TOKEN/],
    [
      { EDGE_PURGE_URLS: "http://e:1", EDGE_PURGE_SECRET: secret, CLOUDFLARE_ZONE_ID: "z", CLOUDFLARE_API_TOKEN: "t" },
      /not both/,
    ],
  ])("refuses %j", (env, problem) => {
    const parsed = parseConfig({ ...base, ...env });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems.join("\n")).toMatch(problem);
  });
});
