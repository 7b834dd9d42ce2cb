import { describe, expect, it } from "vitest";
import type { CellPlan } from "./bench-results.ts";
import { formatSeconds, overheadSeconds, remainingSeconds } from "./run-estimate.ts";

const cell = (scenario: CellPlan["scenario"], workers: number, target: CellPlan["target"] = "origin"): CellPlan => ({
  id: `${scenario}/${target}/1x${workers}`,
  group: "scaling",
  scenario,
  target,
  topology: { instances: 1, workers },
  mode: "saturation",
  rate: 1,
});

describe("remainingSeconds", () => {
  it("adds each cell's runs and a topology change or edge start where the next cell needs one", () => {
    const timing = { warmupSeconds: 5, measureSeconds: 15 };
    const browseSeconds = 5 + 15 + 2 * overheadSeconds.perRun;
    const mixedSeconds = browseSeconds + 2 * overheadSeconds.mixedSetup;
    expect(remainingSeconds([cell("browse", 1), cell("mixed", 1)], timing)).toBe(
      overheadSeconds.topologyChange + browseSeconds + mixedSeconds,
    );
    expect(remainingSeconds([cell("browse", 1), cell("browse", 2, "edge-deno")], timing)).toBe(
      2 * overheadSeconds.topologyChange + overheadSeconds.edgeStart + 2 * browseSeconds,
    );
  });
});

describe("formatSeconds", () => {
  it("writes minutes and seconds", () => {
    expect(formatSeconds(42)).toBe("42s");
    expect(formatSeconds(605)).toBe("10m05s");
  });
});
