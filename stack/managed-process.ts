import { type ChildProcess, spawn } from "node:child_process";
import { getOnOwnConnection } from "./get-on-own-connection.ts";

/**
 * A child process the stack owns: its output is prefixed with its name, and `stop` asks it
 * politely (SIGTERM) before forcing it (SIGKILL), so nothing outlives the stack.
 */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop: (graceMs?: number) => Promise<void>;
}

export interface ProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Where its output goes; defaults to this process's stdout with a name prefix. */
  output?: "inherit-prefixed" | "ignore" | ((line: string) => void);
  /** Run as another user (Postgres refuses to run as root). */
  user?: { uid: number; gid: number };
  /** The polite signal `stop` sends first; Postgres's fast shutdown is SIGINT. */
  stopSignal?: NodeJS.Signals;
}

export const startProcess = (options: ProcessOptions): ManagedProcess => {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so Ctrl-C at the terminal reaches the stack, which then
    // stops its children in order instead of all of them dying at once.
    detached: true,
    ...options.user,
  });
  const write = lineWriter(options.name, options.output ?? "inherit-prefixed");
  pipeLines(child.stdout, write);
  pipeLines(child.stderr, write);
  // A missing binary emits "error" and never "exit": either ends the process's life here.
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (error) => {
      write(`could not start ${options.command}: ${error.message}`);
      resolve(null);
    });
  });

  const stop = async (graceMs = 15_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(options.stopSignal ?? "SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
  };
  return { name: options.name, child, exited, stop };
};

const lineWriter = (name: string, output: NonNullable<ProcessOptions["output"]>) => {
  if (output === "ignore") return () => {};
  if (typeof output === "function") return output;
  return (line: string) => process.stdout.write(`[${name}] ${line}\n`);
};

const pipeLines = (stream: NodeJS.ReadableStream | null, write: (line: string) => void) => {
  if (!stream) return;
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) if (line) write(line);
  });
  stream.on("end", () => buffered && write(buffered));
};

/** Polls a URL until it answers 2xx, the process dies, or the deadline passes. */
export const waitForHttp = async (url: string, process: ManagedProcess, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void process.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${process.name} exited (code ${exitCode}) before ${url} answered`);
    // Its own connection, closed after the answer: a pooled keep-alive socket would sit
    // idle on whichever origin worker took it, and a draining worker leaves idle sockets
    // their DRAIN_IDLE_GRACE_MS (6 s), so every Ctrl-C of `npm start` waited that long.
    const answer = await getOnOwnConnection(url, 1_000).catch(() => undefined);
    if (answer !== undefined && answer.status >= 200 && answer.status < 300) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
};
