/**
 * A light probe: one request at a time at a fixed pace, recording each latency, to see how
 * an unrelated route fares while something else loads the server.
 */
export interface Probe {
  stop: () => Promise<number[]>;
}

export const startLatencyProbe = (url: string, intervalMs: number): Probe => {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(url);
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`probe ${url} answered ${response.status}`);
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (performance.now() - started))));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
};
