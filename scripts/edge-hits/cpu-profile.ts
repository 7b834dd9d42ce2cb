/**
 * A V8 CPU profile over the inspector protocol (Deno 2.9's `deno serve` has no
 * `--cpu-prof`): start sampling, run the load, stop, and summarise where the samples fell,
 * by function (self time) and by source file (inclusive: a sample counts once for each file
 * on its stack).
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

const inspectorSession = async (inspectorUrl: string) => {
  const [target] = (await (await fetch(`${inspectorUrl}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  if (!target) throw new Error(`no inspector target at ${inspectorUrl}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const pending = new Map<number, (result: unknown) => void>();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  };
  let nextId = 0;
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
    new Promise<T>((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve as (result: unknown) => void);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
};

/** Profiles the isolate behind `inspectorUrl` (http://host:port) while `load` runs. */
export const profileDuring = async <T>(
  inspectorUrl: string,
  load: () => Promise<T>,
): Promise<{ profile: CpuProfile; result: T }> => {
  const session = await inspectorSession(inspectorUrl);
  try {
    await session.send("Profiler.enable");
    await session.send("Profiler.setSamplingInterval", { interval: 100 });
    await session.send("Profiler.start");
    const result = await load();
    const { profile } = await session.send<{ profile: CpuProfile }>("Profiler.stop");
    return { profile, result };
  } finally {
    session.close();
  }
};

export interface ProfileLine {
  name: string;
  share: number;
}

const frameName = ({ functionName, url, lineNumber }: CallFrame) =>
  `${functionName || "(anonymous)"} ${url.replace(/^.*\/work\/main\//, "").replace(/^.*\/node_modules\//, "")}:${lineNumber + 1}`;

const fileOf = ({ url, functionName }: CallFrame) =>
  url ? url.replace(/^.*\/work\/main\//, "").replace(/^.*\/node_modules\//, "") : `(${functionName || "native"})`;

const top = (counts: Map<string, number>, total: number, limit: number): ProfileLine[] =>
  [...counts]
    .sort(([, a], [, b]) => b - a)
    .slice(0, limit)
    .map(([name, count]) => ({ name, share: count / total }));

export const summariseProfile = (profile: CpuProfile, limit = 25) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const self = new Map<string, number>();
  const inclusiveByFile = new Map<string, number>();
  for (const sample of profile.samples) {
    const node = byId.get(sample);
    if (!node) continue;
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + 1);
    const files = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parentOf.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame) files.add(fileOf(frame));
    }
    for (const file of files) inclusiveByFile.set(file, (inclusiveByFile.get(file) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return { samples: total, self: top(self, total, limit), inclusiveByFile: top(inclusiveByFile, total, limit) };
};
