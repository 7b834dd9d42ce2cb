import { describe, expect, it } from "vitest";
import { formatCpuList, parseCpuList } from "./core-pinning.ts";

describe("CPU lists", () => {
  it("read the kernel's ranges and write taskset's list", () => {
    expect(parseCpuList("0-3,6\n")).toEqual([0, 1, 2, 3, 6]);
    expect(parseCpuList("1")).toEqual([1]);
    expect(formatCpuList([3, 1, 2])).toBe("1,2,3");
  });

  it("refuse what is not one", () => {
    expect(() => parseCpuList("3-1")).toThrow("not a CPU list");
  });
});
