import { describe, expect, it } from "vitest";
import { parseBenchArgs } from "./bench-args.ts";

describe("parseBenchArgs", () => {
  it("runs the small profile on our own stack by default", () => {
    expect(parseBenchArgs([])).toEqual({ kind: "run", args: { profile: "small", only: [] } });
  });

  it("reads the overrides of a profile", () => {
    const parsed = parseBenchArgs([
      "--profile",
      "full",
      "--only",
      "browse/origin, edge-deno",
      "--duration",
      "1m",
      "--warmup",
      "10s",
      "--connections",
      "128",
      "--edge",
      "none",
      "--seed-comments",
      "100000",
    ]);
    expect(parsed).toEqual({
      kind: "run",
      args: {
        profile: "full",
        only: ["browse/origin", "edge-deno"],
        measureSeconds: 60,
        warmupSeconds: 10,
        connections: 128,
        edgeRuntimes: [],
        seedComments: 100_000,
      },
    });
  });

  it("describes a running stack with --base-url and its companions", () => {
    const parsed = parseBenchArgs([
      "--base-url",
      "http://127.0.0.1:8080/",
      "--edge-url",
      "http://127.0.0.1:8787",
      "--metrics-url",
      "http://127.0.0.1:3001,http://127.0.0.1:3002",
      "--database-url",
      "postgres://conduit@127.0.0.1:5432/conduit",
    ]);
    expect(parsed.kind === "run" && parsed.args.external).toEqual({
      baseUrl: "http://127.0.0.1:8080",
      edgeUrl: "http://127.0.0.1:8787",
      edgeRuntime: "deno",
      metricsUrls: ["http://127.0.0.1:3001", "http://127.0.0.1:3002"],
      databaseUrl: "postgres://conduit@127.0.0.1:5432/conduit",
    });
  });

  it.each([
    [["--profile", "huge"], "--profile must be small or full"],
    [["--duration", "soon"], "not a duration"],
    [["--connections", "0"], "--connections must be a positive integer"],
    [["--edge", "bun"], "--edge takes deno, wrangler or none"],
    [["--edge-url", "http://127.0.0.1:8787"], "needs --base-url"],
    [["--unknown"], "Unknown option"],
  ])("refuses %j", (argv, message) => {
    const parsed = parseBenchArgs(argv);
    expect(parsed.kind).toBe("error");
    expect(parsed.kind === "error" && parsed.message).toContain(message);
  });
});
