import { afterEach, describe, expect, it } from "vitest";
import { broadcastPurgeBus } from "./purge-bus.ts";

/** Real BroadcastChannels (Node has them too): the isolates of one process, in one thread here. */
const channels: BroadcastChannel[] = [];
const isolate = (name: string, isolates: number, ackTimeoutMs = 2_000) => {
  const channel = new BroadcastChannel(name);
  channels.push(channel);
  const applied: string[][] = [];
  const unconfirmed: number[] = [];
  const bus = broadcastPurgeBus({
    channel,
    isolates,
    ackTimeoutMs,
    onUnconfirmed: ({ confirmed }) => unconfirmed.push(confirmed),
  });
  bus.onPurge((tags) => applied.push(tags));
  return { bus, applied, unconfirmed };
};

afterEach(() => {
  for (const channel of channels.splice(0)) channel.close();
});

describe("purge bus between isolates", () => {
  it("resolves a purge once every other isolate has applied it", async () => {
    const name = `bus-${Math.random()}`;
    const [a, b, c] = [isolate(name, 3), isolate(name, 3), isolate(name, 3)];
    await a.bus.publish(["article:x"], Date.now());
    expect([a.applied, b.applied, c.applied]).toEqual([[], [["article:x"]], [["article:x"]]]);
    expect(a.unconfirmed).toEqual([]);
  });

  it("holds a purge that arrives before the isolate is ready, and confirms it once applied", async () => {
    const name = `bus-${Math.random()}`;
    const a = isolate(name, 2);
    const channel = new BroadcastChannel(name);
    channels.push(channel);
    const late = broadcastPurgeBus({ channel, isolates: 2, ackTimeoutMs: 2_000, onUnconfirmed: () => {} });
    let confirmed = false;
    const published = a.bus.publish(["article:early"], Date.now()).then(() => {
      confirmed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(confirmed).toBe(false);
    const applied: string[][] = [];
    late.onPurge((tags) => applied.push(tags));
    await published;
    expect([applied, a.unconfirmed]).toEqual([[["article:early"]], []]);
  });

  it("gives up after its timeout when an isolate does not answer, and says so", async () => {
    const name = `bus-${Math.random()}`;
    const [a, b] = [isolate(name, 3, 100), isolate(name, 3, 100)];
    await a.bus.publish(["tags"], Date.now());
    expect(b.applied).toEqual([["tags"]]);
    expect(a.unconfirmed).toEqual([1]);
  });

  it("waits for every isolate it heard from, even beyond the configured number", async () => {
    const name = `bus-${Math.random()}`;
    const a = isolate(name, 2, 200);
    const [b, c] = [isolate(name, 2, 200), isolate(name, 2, 200)];
    // Let the hellos and their answers arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await a.bus.publish(["articles"], Date.now());
    expect([b.applied, c.applied, a.unconfirmed]).toEqual([[["articles"]], [["articles"]], []]);
  });
});
