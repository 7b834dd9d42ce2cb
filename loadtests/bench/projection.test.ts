import { describe, expect, it } from "vitest";
import { maxWorkersForConnections, poolConnections, project } from "./projection.ts";

describe("project", () => {
  it("shares one machine's cores among every tier", () => {
    const projection = project(
      { nginx: 0.1, origin: 0.6, postgres: 0.2, redis: 0.1 },
      { appMachines: 1, coresPerMachine: 4, dataMachine: false },
    );
    expect(projection.requestsPerSecond).toBeCloseTo(4_000);
    expect(projection.limitedBy).toBe("all tiers' CPU");
  });

  it("names Postgres when the app machines outgrow the data machine", () => {
    const projection = project(
      { nginx: 0.1, origin: 0.9, postgres: 1.5, redis: 0.01 },
      { appMachines: 4, coresPerMachine: 8, dataMachine: true },
    );
    // App: 32 cores x 1000 / 1 ms = 32,000; Postgres: 7 cores (one left to Redis) x 1000 / 1.5 ms.
    expect(projection.requestsPerSecond).toBeCloseTo(7_000 / 1.5);
    expect(projection.limitedBy).toBe("Postgres CPU");
  });

  it("never gives Redis more than one core", () => {
    const projection = project(
      { edge: 0.05, origin: 0.01, redis: 0.05 },
      { appMachines: 1, coresPerMachine: 16, dataMachine: false },
    );
    expect(projection.requestsPerSecond).toBeCloseTo(20_000);
    expect(projection.limitedBy).toBe("Redis (one thread)");
  });
});

describe("Postgres connections", () => {
  it("grow with instances x workers x pool, which max_connections bounds", () => {
    expect(poolConnections(2, 4, 10)).toBe(80);
    expect(maxWorkersForConnections(100, 10, 10)).toBe(9);
  });
});
