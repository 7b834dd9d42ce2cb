import { describe, expect, it } from "vitest";
import { seededRandom } from "../testing/seeded-random.ts";
import { zipfPicker, zipfSampler } from "./zipf.ts";

const frequencies = (size: number, exponent: number, draws: number): number[] => {
  const sampler = zipfSampler(size, exponent);
  const random = seededRandom(42);
  const counts = new Float64Array(size);
  for (let draw = 0; draw < draws; draw++) {
    const rank = sampler.sample(random);
    counts[rank] = (counts[rank] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count / draws);
};

describe("zipfSampler", () => {
  it("draws ranks with probability proportional to 1 / rank^s", () => {
    const size = 50;
    const observed = frequencies(size, 1, 200_000);
    let harmonic = 0;
    for (let rank = 1; rank <= size; rank++) harmonic += 1 / rank;
    for (const rank of [0, 1, 2, 9, 49]) {
      expect(observed[rank]).toBeCloseTo(1 / (rank + 1) / harmonic, 2);
    }
  });

  it("makes the first rank the most popular and the tail the least", () => {
    const observed = frequencies(20, 1.2, 50_000);
    expect(Math.max(...observed)).toBe(observed[0]);
    expect(observed[0]).toBeGreaterThan(observed[1] as number);
    expect(observed[1]).toBeGreaterThan(observed[19] as number);
  });

  it("is uniform with exponent 0", () => {
    for (const share of frequencies(4, 0, 40_000)) expect(share).toBeCloseTo(0.25, 1);
  });

  it("always stays within range, even at the edges of [0, 1)", () => {
    const sampler = zipfSampler(7);
    expect(sampler.sample(() => 0)).toBe(0);
    expect(sampler.sample(() => 0.999_999_999)).toBe(6);
    expect(zipfSampler(1).sample(() => 0.5)).toBe(0);
  });

  it("rejects an empty population and a negative exponent", () => {
    expect(() => zipfSampler(0)).toThrow(/size/);
    expect(() => zipfSampler(3, -1)).toThrow(/exponent/);
  });
});

describe("zipfPicker", () => {
  it("picks the items of a list in popularity order", () => {
    const pick = zipfPicker(["hot", "warm", "cold"], 2);
    expect(pick(() => 0)).toBe("hot");
    expect(pick(() => 0.999)).toBe("cold");
  });
});
