import { readFile } from "node:fs/promises";

/** One line of NGINX's JSON access log (log_format conduit_json in ops/nginx/conduit/http.conf). */
export interface AccessLogEntry {
  time: string;
  requestId: string;
  clientIp: string;
  forwardedFor: string;
  method: string;
  uri: string;
  protocol: string;
  scheme: string;
  status: number;
  requestTime: number;
  upstreamAddr: string;
  upstreamStatus: string;
  upstreamResponseTime: string;
}

export const accessLogEntries = async (accessLogPath: string): Promise<AccessLogEntry[]> => {
  const text = await readFile(accessLogPath, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AccessLogEntry);
};

/** NGINX writes the line just after the response goes out, so a test polls for it. */
export const waitForAccessLog = async (accessLogPath: string, requestId: string, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = (await accessLogEntries(accessLogPath)).find((candidate) => candidate.requestId === requestId);
    if (entry) return entry;
    if (Date.now() > deadline) throw new Error(`no access log line with request id ${requestId}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
