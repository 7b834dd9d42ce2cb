import { describe, expect, it } from "vitest";
import { planCells } from "./bench-plan.ts";
import { benchProfile } from "./bench-profiles.ts";
import { remainingSeconds } from "./run-estimate.ts";

describe("benchProfile", () => {
  it("plans the small profile within its time limit on the 2-core machine", () => {
    const profile = benchProfile("small", 1);
    const cells = planCells({ ...profile, ownStack: true });
    // Stack start and a first seed take about a minute more; the limit is 15 minutes.
    expect(remainingSeconds(cells, profile, profile.primeSeconds) / 60).toBeLessThan(profile.timeLimitMinutes - 1);
  });

  it("grows the full profile's workers and budgets with the cores", () => {
    const profile = benchProfile("full", 12);
    expect(profile.workers).toEqual([1, 2, 4, 8, 12]);
    expect(profile.budgets).toEqual([0.25, 0.5, 1, 1.5, ...Array.from({ length: 11 }, (_, index) => index + 2)]);
    expect(profile.comparisonTopology).toEqual({ instances: 2, workers: 6 });
  });
});
