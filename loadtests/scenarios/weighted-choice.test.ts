import { describe, expect, it } from "vitest";
import { seededRandom } from "../testing/seeded-random.ts";
import { totalWeight, weightedChooser } from "./weighted-choice.ts";

describe("weightedChooser", () => {
  it("draws keys in proportion to their weights", () => {
    const choose = weightedChooser({ read: 90, write: 10 });
    const random = seededRandom(7);
    let writes = 0;
    for (let draw = 0; draw < 100_000; draw++) if (choose(random) === "write") writes++;
    expect(writes / 100_000).toBeCloseTo(0.1, 2);
  });

  it("maps the edges of [0, 1) to the first and last weighted keys, never a zero weight", () => {
    const choose = weightedChooser({ first: 1, never: 0, last: 1, trailingZero: 0 });
    expect(choose(() => 0)).toBe("first");
    expect(choose(() => 0.999_999_999_999)).toBe("last");
  });

  it("rejects weights that cannot be drawn from", () => {
    expect(() => weightedChooser({ a: 0, b: 0 })).toThrow(/zero/);
    expect(() => weightedChooser({ a: -1, b: 2 })).toThrow(/non-negative/);
  });

  it("sums weights", () => {
    expect(totalWeight({ a: 2.5, b: 7.5 })).toBe(10);
  });
});
