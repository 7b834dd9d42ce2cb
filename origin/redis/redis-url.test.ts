import { describe, expect, it } from "vitest";
import { parseRedisUrl } from "./redis-url.ts";

describe("parseRedisUrl", () => {
  it("passes a single-server URL through", () => {
    expect(parseRedisUrl("redis://:pw@10.0.0.1:6380/2")).toEqual({
      ok: true,
      target: { kind: "single", url: "redis://:pw@10.0.0.1:6380/2" },
    });
  });

  it("reads sentinels, the master's name and the password", () => {
    expect(parseRedisUrl("redis-sentinel://:s%40cret@s1:26379,s2,[::1]:26380/mymaster")).toEqual({
      ok: true,
      target: {
        kind: "sentinel",
        sentinels: [
          { host: "s1", port: 26_379 },
          { host: "s2", port: 26_379 },
          { host: "::1", port: 26_380 },
        ],
        masterName: "mymaster",
        password: "s@cret",
        tls: false,
      },
    });
  });

  it("reads cluster seed nodes, with TLS for rediss-cluster", () => {
    expect(parseRedisUrl("rediss-cluster://n1:7000,n2:7001")).toEqual({
      ok: true,
      target: {
        kind: "cluster",
        nodes: [
          { host: "n1", port: 7_000 },
          { host: "n2", port: 7_001 },
        ],
        tls: true,
      },
    });
  });

  it.each([
    ["http://x", "must start with"],
    ["redis-sentinel://s1:26379", "master's name"],
    ["redis-cluster://n1:99999", "host:port"],
    ["redis-cluster://", "host:port"],
  ])("refuses %s", (url, problem) => {
    const result = parseRedisUrl(url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toContain(problem);
  });
});
