import { describe, expect, it } from "vitest";
import { type PlanInput, planCells, selectCells } from "./bench-plan.ts";
import { benchProfile } from "./bench-profiles.ts";

const small = benchProfile("small", 1);
const input: PlanInput = { ...small, ownStack: true };

describe("planCells", () => {
  it("covers every topology for both mixes, the comparison per edge runtime, and the CPU budgets", () => {
    const cells = planCells(input);
    const ids = cells.map((cell) => cell.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const topology of ["1x1", "1x2", "2x1", "2x2"]) {
      expect(ids).toContain(`browse/origin/${topology}/saturation`);
      expect(ids).toContain(`mixed/origin/${topology}/saturation`);
    }
    for (const target of ["origin", "edge-deno", "edge-wrangler"]) {
      for (const scenario of ["browse", "mixed"]) expect(ids).toContain(`${scenario}/${target}/2x1/saturation`);
    }
    for (const target of ["origin", "edge-deno"]) {
      for (const scenario of ["browse", "mixed"]) expect(ids).toContain(`${scenario}/${target}/2x1/fixed-rate`);
    }
    expect(ids.filter((id) => id.endsWith("-cores"))).toEqual([
      "browse/origin/2x1/saturation/0.25-cores",
      "browse/origin/2x1/saturation/0.5-cores",
      "browse/origin/2x1/saturation/1-cores",
      "browse/origin/2x1/saturation/1.5-cores",
    ]);
    expect(cells).toHaveLength(20);
  });

  it("runs the comparison topology last, so the origins restart once per topology", () => {
    const topologies = planCells(input).map((cell) => `${cell.topology.instances}x${cell.topology.workers}`);
    const changes = topologies.filter((topology, index) => index === 0 || topologies[index - 1] !== topology);
    expect(changes).toEqual(["1x1", "1x2", "2x2", "2x1"]);
  });

  it("offers the saturation rate to saturation runs and the scenario's own rate to fixed-rate runs", () => {
    const cells = planCells(input);
    expect(cells.find((cell) => cell.id === "browse/origin/1x1/saturation")?.rate).toBe(small.saturationRate);
    expect(cells.find((cell) => cell.id === "browse/origin/2x1/fixed-rate")?.rate).toBe(500);
    expect(cells.find((cell) => cell.id === "mixed/origin/2x1/fixed-rate")?.rate).toBe(200);
  });

  it("measures only the comparison on a running stack, which it can neither restart nor see", () => {
    const cells = planCells({ ...input, ownStack: false, edgeRuntimes: ["deno"] });
    expect(cells.every((cell) => cell.group === "comparison" && cell.budgetCores === undefined)).toBe(true);
    expect(cells.map((cell) => cell.target)).toEqual([
      "origin",
      "origin",
      "origin",
      "origin",
      ...Array(4).fill("edge-deno"),
    ]);
  });
});

describe("selectCells", () => {
  it("takes a whole cell id as that cell alone, not the budget cells that extend it", () => {
    expect(selectCells(planCells(input), ["browse/origin/2x1/saturation"]).map((cell) => cell.id)).toEqual([
      "browse/origin/2x1/saturation",
    ]);
  });

  it("keeps the cells whose id contains a pattern, and all of them without one", () => {
    const cells = planCells(input);
    expect(selectCells(cells, [])).toHaveLength(cells.length);
    expect(selectCells(cells, ["edge-deno", "/1x2/"]).map((cell) => cell.id)).toEqual([
      "browse/origin/1x2/saturation",
      "mixed/origin/1x2/saturation",
      "browse/edge-deno/2x1/saturation",
      "browse/edge-deno/2x1/fixed-rate",
      "mixed/edge-deno/2x1/saturation",
      "mixed/edge-deno/2x1/fixed-rate",
    ]);
  });
});
