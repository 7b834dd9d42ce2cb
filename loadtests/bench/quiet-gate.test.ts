import { describe, expect, it } from "vitest";
import { waitForQuiet } from "./quiet-gate.ts";

describe("waitForQuiet", () => {
  const options = { roots: () => [process.pid], ticksPerSecond: 100, onWait: () => {} };

  it("does not wait at all when told not to", async () => {
    expect(await waitForQuiet({ ...options, maxWaitSeconds: 0, belowCores: 0 })).toBe(0);
  });

  it("goes on after three quiet seconds in a row", async () => {
    // Every machine is quieter than a thousand cores.
    const waited = await waitForQuiet({ ...options, maxWaitSeconds: 30, belowCores: 1_000 });
    expect(waited).toBeGreaterThanOrEqual(3);
    expect(waited).toBeLessThan(5);
  });

  it("gives up after its limit when the machine never goes quiet", async () => {
    const waited = await waitForQuiet({ ...options, maxWaitSeconds: 2, belowCores: -1 });
    expect(waited).toBeGreaterThanOrEqual(2);
    expect(waited).toBeLessThan(4);
  });
});
