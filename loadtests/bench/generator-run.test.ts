import { describe, expect, it } from "vitest";
import { generatorCommand, loadStartLine } from "./generator-run.ts";

describe("generatorCommand", () => {
  it("is the runner's command line, pinned to the generator cores, as typed from the repository root", () => {
    expect(
      generatorCommand({
        scenario: "mixed",
        baseUrl: "http://127.0.0.1:40001",
        rate: 200,
        durationSeconds: 15,
        connections: 64,
        summaryPath: "reports/x/cells/mixed.json",
        cores: [3, 2],
      }),
    ).toBe(
      "taskset -c 2,3 node loadtests/run.ts --driver native --scenario mixed --base-url http://127.0.0.1:40001 " +
        "--rate 200 --duration 15s --connections 64 --summary reports/x/cells/mixed.json",
    );
  });
});

describe("loadStartLine", () => {
  it("matches the native runner's first step, which follows discovery and registration", () => {
    expect(loadStartLine.test("[native] step 1/1: 500 req/s for 15s")).toBe(true);
    expect(loadStartLine.test("[native] discovering data at http://127.0.0.1:8080")).toBe(false);
  });
});
