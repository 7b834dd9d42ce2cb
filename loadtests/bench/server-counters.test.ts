import { describe, expect, it } from "vitest";
import { type CounterSnapshot, counterDelta, parseRedisInfo } from "./server-counters.ts";

const info = (commands: number, get: number, evalsha: number) => `# Stats
total_connections_received:3
total_commands_processed:${commands}
# Commandstats
cmdstat_get:calls=${get},usec=${get * 2},usec_per_call=2.00,rejected_calls=0,failed_calls=0
cmdstat_evalsha:calls=${evalsha},usec=${evalsha * 40},usec_per_call=40.00,rejected_calls=0,failed_calls=0
cmdstat_info:calls=9,usec=900,usec_per_call=100.00,rejected_calls=0,failed_calls=0
`;

const snapshot = (scale: number): CounterSnapshot => ({
  origin: { requests: 100 * scale, cache: { hit: 60 * scale, miss: 10 * scale, coalesced: scale, bypass: 2 * scale } },
  db: { statements: 50 * scale, writeStatements: 5 * scale, transactions: 40 * scale, rowsWritten: 7 * scale },
  redis: parseRedisInfo(info(1_000 * scale, 700 * scale, 100 * scale)),
});

describe("counterDelta", () => {
  it("is what reached each server between two snapshots", () => {
    const delta = counterDelta(snapshot(1), snapshot(3));
    expect(delta).toMatchObject({
      originRequests: 200,
      originCache: { hit: 120, miss: 20, coalesced: 2, bypass: 4 },
      dbStatements: 100,
      dbWriteStatements: 10,
      dbTransactions: 80,
      dbRowsWritten: 14,
      // The INFO call that took the second snapshot is not load.
      redisCommands: 1_999,
    });
    expect(delta.redisTopCommands).toEqual([
      { command: "evalsha", calls: 200, usec: 8_000 },
      { command: "get", calls: 1_400, usec: 2_800 },
    ]);
  });

  it("is null for a server that was not observed", () => {
    const delta = counterDelta({ origin: null, db: null, redis: null }, { origin: null, db: null, redis: null });
    expect(Object.values(delta).every((value) => value === null)).toBe(true);
  });
});
