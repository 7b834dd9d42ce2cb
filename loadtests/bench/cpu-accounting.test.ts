import { describe, expect, it } from "vitest";
import { type CpuSnapshot, windowCpu } from "./cpu-accounting.ts";

const snapshot = (
  origin: number,
  postgres: number,
  systemBusy: number,
  systemSteal: number,
  selfOwn: number,
  selfReaped: number,
): CpuSnapshot => ({
  tiers: { origin, postgres },
  systemBusy,
  systemSteal,
  selfOwn,
  selfReaped,
});

describe("windowCpu", () => {
  it("splits the machine's busy time into tiers, the generator, the bench, and foreign processes", () => {
    // 10 s at 100 ticks/s: origin 600 ticks, Postgres 100, bench 10; the generator used 350
    // ticks in all, 50 of them before the load began; the machine was busy 1,360 ticks, 100
    // of which the hypervisor gave to other guests.
    const cpu = windowCpu(
      {
        before: snapshot(1_000, 500, 10_000, 900, 40, 7),
        after: snapshot(1_600, 600, 11_360, 1_000, 50, 357),
        reapedBeforeGenerator: 7,
        generatorTicksAtStart: 50,
        windowSeconds: 10,
      },
      100,
    );
    expect(cpu.tiersMs).toEqual({ origin: 6_000, postgres: 1_000 });
    expect(cpu.generatorMs).toBe(3_000);
    // 1,360 - 100 - 600 - 100 - 300 - 10 = 250 ticks = 2.5 s over 10 s.
    expect(cpu.foreignCores).toBeCloseTo(0.25);
    expect(cpu.stealCores).toBeCloseTo(0.1);
  });
});
