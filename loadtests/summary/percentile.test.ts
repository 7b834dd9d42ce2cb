import { describe, expect, it } from "vitest";
import { median, percentile, trendValues } from "./percentile.ts";

describe("percentile (k6's TrendSink.P)", () => {
  it("interpolates between the samples around fraction * (n - 1)", () => {
    const sorted = [10, 20, 30, 40];
    expect(percentile(sorted, 0.5)).toBe(25);
    expect(percentile(sorted, 0.95)).toBeCloseTo(38.5, 10);
    expect(percentile(sorted, 1)).toBe(40);
    expect(percentile(sorted, 0)).toBe(10);
  });

  it("is 0 without samples and the sample itself with one", () => {
    expect(percentile([], 0.99)).toBe(0);
    expect(percentile([7], 0.99)).toBe(7);
  });
});

describe("trendValues", () => {
  it("computes k6's trend statistics from unsorted samples", () => {
    const samples = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(trendValues(samples, ["count", "avg", "min", "med", "p(90)", "p(95)", "p(99)", "max", "p(99.9)"])).toEqual({
      count: 100,
      avg: 50.5,
      min: 1,
      med: 50.5,
      "p(90)": expect.closeTo(90.1, 10),
      "p(95)": expect.closeTo(95.05, 10),
      "p(99)": expect.closeTo(99.01, 10),
      max: 100,
      "p(99.9)": expect.closeTo(99.901, 10),
    });
  });

  it("reports zeros for an empty trend", () => {
    expect(trendValues([], ["count", "avg", "min", "max", "p(95)"])).toEqual({
      count: 0,
      avg: 0,
      min: 0,
      max: 0,
      "p(95)": 0,
    });
  });

  it("rejects statistics k6 does not know", () => {
    expect(() => trendValues([1], ["mean"])).toThrow(/unknown trend statistic/);
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
