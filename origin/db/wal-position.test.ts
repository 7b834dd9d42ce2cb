import { describe, expect, it } from "vitest";
import { parseWalPosition, replicaViewAsOf } from "./wal-position.ts";

describe("parseWalPosition", () => {
  it("reads both halves of a pg_lsn as one 64-bit position", () => {
    expect(parseWalPosition("0/0")).toBe(0n);
    expect(parseWalPosition("0/304AC08")).toBe(0x304ac08n);
    expect(parseWalPosition("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
    expect(parseWalPosition("1/0") > parseWalPosition("0/FFFFFFFF")).toBe(true);
  });

  it("refuses what is not a pg_lsn", () => {
    for (const text of ["", "0", "0/", "x/1", "0/1/2", "123456789/0"]) expect(() => parseWalPosition(text)).toThrow();
  });
});

describe("replicaViewAsOf", () => {
  const samples = [
    { at: 1_000, position: 100n },
    { at: 2_000, position: 100n },
    { at: 3_000, position: 250n },
    { at: 4_000, position: 400n },
  ];

  it("is the newest sample the replica has replayed past", () => {
    expect(replicaViewAsOf(samples, 400n)).toBe(4_000);
    expect(replicaViewAsOf(samples, 500n)).toBe(4_000);
    expect(replicaViewAsOf(samples, 399n)).toBe(3_000);
    expect(replicaViewAsOf(samples, 100n)).toBe(2_000);
  });

  it("keeps an idle primary's replica current: the position stood still, so nothing is missing", () => {
    const idle = [
      { at: 1_000, position: 100n },
      { at: 2_000, position: 100n },
      { at: 3_000, position: 100n },
    ];
    expect(replicaViewAsOf(idle, 100n)).toBe(3_000);
  });

  it("is unknown when the replica is behind every sample kept", () => {
    expect(replicaViewAsOf(samples, 99n)).toBeUndefined();
    expect(replicaViewAsOf([], 1_000n)).toBeUndefined();
  });
});
