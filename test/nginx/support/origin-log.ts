import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";

/**
 * The origin's request log as the tests read it: one JSON line per request (origin/http/
 * request-log.ts), from a file the global setup appends to or from lines kept in memory.
 */
export interface OriginRequestLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  clientIp?: string;
  scheme?: string;
}

export interface OriginLog {
  name: string;
  /** The instance itself, without NGINX in between. */
  url: string;
  text: () => Promise<string>;
}

export const fileLog = (origin: { name: string; url: string; logFile: string }): OriginLog => ({
  name: origin.name,
  url: origin.url,
  text: () => readFile(origin.logFile, "utf8"),
});

export const memoryLog = (name: string, url: string, lines: string[]): OriginLog => ({
  name,
  url,
  text: async () => lines.join("\n"),
});

const parse = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

export const requestLines = async (log: OriginLog): Promise<OriginRequestLine[]> =>
  (await log.text())
    .split("\n")
    .map(parse)
    .filter((entry): entry is OriginRequestLine & { msg: string } => (entry as { msg?: string })?.msg === "request");

export const linesWithId = async (logs: OriginLog[], requestId: string): Promise<OriginRequestLine[]> =>
  (await Promise.all(logs.map(requestLines))).flat().filter((line) => line.requestId === requestId);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `requestId` shows in one of the logs. */
export const waitForLine = async (logs: OriginLog[], requestId: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await linesWithId(logs, requestId);
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error(`no origin log line with request id ${requestId}`);
    await sleep(50);
  }
};

/**
 * A barrier: a request straight to each instance, then a wait for its line. Each instance
 * writes its lines in order into one pipe, so once the marker is in, every request that
 * instance answered earlier is in too, and "no line for X" means the app never saw X.
 */
export const settle = async (logs: OriginLog[]) => {
  for (const log of logs) {
    const marker = `barrier-${randomUUID()}`;
    await fetch(`${log.url}/healthz`, { headers: { "x-request-id": marker } });
    await waitForLine([log], marker);
  }
};
