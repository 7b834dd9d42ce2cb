import { describe, expect, it } from "vitest";
import { createReadRouting } from "./read-routing.ts";

describe("createReadRouting", () => {
  it("sends reads outside any request to the primary", () => {
    const routing = createReadRouting();
    expect(routing.replicaFor(() => 0)).toBeUndefined();
  });

  it("pins one replica per request, so its reads share one view", async () => {
    const routing = createReadRouting();
    let next = 0;
    const pick = () => next++ % 2;
    const seen = await routing.run("replica", async () => {
      const first = routing.replicaFor(pick);
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [first, routing.replicaFor(pick), routing.replicaFor(pick)];
    });
    expect(seen).toEqual([0, 0, 0]);
    expect(routing.run("replica", () => routing.replicaFor(pick))).toBe(1);
  });

  it("keeps a request on the primary once no replica may serve it or it must see the primary", () => {
    const routing = createReadRouting();
    routing.run("replica", () => {
      expect(routing.replicaFor(() => undefined)).toBeUndefined();
      expect(routing.replicaFor(() => 0)).toBeUndefined();
    });
    routing.run("replica", () => {
      expect(routing.replicaFor(() => 0)).toBe(0);
      routing.usePrimary();
      expect(routing.replicaFor(() => 0)).toBeUndefined();
    });
    expect(routing.run("primary", () => routing.replicaFor(() => 0))).toBeUndefined();
  });
});
