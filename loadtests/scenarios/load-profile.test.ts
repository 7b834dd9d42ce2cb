import { describe, expect, it } from "vitest";
import { scenarioCatalog } from "./catalog.ts";
import { parseDurationSeconds } from "./duration.ts";
import { type LoadProfile, profileDurationSeconds, rateSteps, scheduledRequests } from "./load-profile.ts";

const stepsTotal = (profile: LoadProfile) =>
  rateSteps(profile).reduce((sum, step) => sum + step.rate * step.durationSeconds, 0);

describe("rateSteps", () => {
  it("runs a constant rate as one step", () => {
    expect(rateSteps({ executor: "constant-arrival-rate", rate: 500, durationSeconds: 30 })).toEqual([
      { durationSeconds: 30, rate: 500 },
    ]);
  });

  it("cuts ramps into steps of at most five seconds that schedule the same requests", () => {
    const profile: LoadProfile = {
      executor: "ramping-arrival-rate",
      startRate: 0,
      stages: [
        { durationSeconds: 12, target: 120 },
        { durationSeconds: 10, target: 120 },
        { durationSeconds: 3, target: 0 },
      ],
    };
    const steps = rateSteps(profile);
    expect(steps.map((step) => step.durationSeconds)).toEqual([4, 4, 4, 10, 3]);
    expect(steps.map((step) => step.rate)).toEqual([20, 60, 100, 120, 60]);
    expect(stepsTotal(profile)).toBeCloseTo(scheduledRequests(profile), 6);
    expect(scheduledRequests(profile)).toBe(720 + 1200 + 180);
  });
});

describe("the spike scenario", () => {
  it("holds the base rate, peaks at five times it, and comes back, within the duration", () => {
    const profile = scenarioCatalog.spike.profile({ rate: 100, durationSeconds: 60 });
    if (profile.executor !== "ramping-arrival-rate") throw new Error("spike must ramp");
    expect(profile.startRate).toBe(100);
    expect(profile.stages.map((stage) => stage.target)).toEqual([100, 500, 500, 100, 100]);
    expect(profileDurationSeconds(profile)).toBe(60);
    expect(stepsTotal(profile)).toBeCloseTo(scheduledRequests(profile), 6);
  });

  it("lasts the duration asked for when the parts do not round evenly", () => {
    for (const durationSeconds of [10, 30, 45, 61]) {
      expect(profileDurationSeconds(scenarioCatalog.spike.profile({ rate: 10, durationSeconds }))).toBe(
        durationSeconds,
      );
    }
  });
});

describe("parseDurationSeconds", () => {
  it("reads k6 durations and bare seconds", () => {
    expect(parseDurationSeconds("30s")).toBe(30);
    expect(parseDurationSeconds("1h30m")).toBe(5400);
    expect(parseDurationSeconds("1m500ms")).toBe(60.5);
    expect(parseDurationSeconds("45")).toBe(45);
  });

  it("rejects anything else", () => {
    expect(() => parseDurationSeconds("30 seconds")).toThrow(/not a duration/);
    expect(() => parseDurationSeconds("5x")).toThrow(/not a duration/);
  });
});
