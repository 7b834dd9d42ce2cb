import { describe, expect, it } from "vitest";
import { staggeredShares } from "./staggered-shares.ts";

describe("staggeredShares", () => {
  it("spreads a rate over ten instances a tenth of a second apart, keeping the totals", () => {
    const shares = staggeredShares(505, 64);
    expect(shares).toHaveLength(10);
    expect(shares.map((share) => share.offsetMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(shares.reduce((sum, share) => sum + share.rate, 0)).toBe(505);
    expect(shares.reduce((sum, share) => sum + share.connections, 0)).toBe(64);
    expect(Math.max(...shares.map((share) => share.rate)) - Math.min(...shares.map((share) => share.rate))).toBe(1);
  });

  it("uses fewer instances when there are fewer connections or requests per second", () => {
    expect(staggeredShares(500, 4)).toEqual([
      { rate: 125, connections: 1, offsetMs: 0 },
      { rate: 125, connections: 1, offsetMs: 250 },
      { rate: 125, connections: 1, offsetMs: 500 },
      { rate: 125, connections: 1, offsetMs: 750 },
    ]);
    expect(staggeredShares(2.4, 64)).toEqual([
      { rate: 1, connections: 1, offsetMs: 0 },
      { rate: 1, connections: 1, offsetMs: 500 },
    ]);
  });

  it("never gives an instance more connections than its rate", () => {
    for (const share of staggeredShares(12, 64)) expect(share.connections).toBeLessThanOrEqual(share.rate);
  });
});
