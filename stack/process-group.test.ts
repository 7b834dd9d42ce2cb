import { describe, expect, it } from "vitest";
import { type ManagedProcess, startProcess } from "./managed-process.ts";
import { signalGroup, stopGroup } from "./process-group.ts";

/** A shell whose script prints "ready" once it is in the state under test. */
const startShell = async (script: string): Promise<ManagedProcess> => {
  let ready: () => void = () => {};
  const printedReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const shell = startProcess({
    name: "group",
    command: "sh",
    args: ["-c", script],
    output: (line) => line === "ready" && ready(),
  });
  await printedReady;
  return shell;
};

describe("stopGroup", () => {
  it("sends SIGTERM again, so a member that was not yet listening for it still stops by itself", async () => {
    // Ignores SIGTERM at first (its `sleep` inherits that), then exits on it: the first
    // SIGTERM is lost, like one reaching a Deno isolate that is still loading.
    const shell = await startShell(
      `trap "" TERM; echo ready; sleep 0.3; trap "exit 0" TERM; while :; do sleep 0.05; done`,
    );
    expect(await stopGroup(shell, { graceMs: 5_000, resendMs: 200 })).toBe("exited");
    expect(await shell.exited).toBe(0);
    expect(signalGroup(shell, 0)).toBe(false);
  });

  it("kills a group that never stops at the end of its grace, and says so", async () => {
    const shell = await startShell(`trap "" TERM; echo ready; while :; do sleep 0.05; done`);
    expect(await stopGroup(shell, { graceMs: 1_000, resendMs: 200 })).toBe("killed");
    expect(shell.child.signalCode).toBe("SIGKILL");
    expect(signalGroup(shell, 0)).toBe(false);
  });

  it("asks a group whose leader is gone but whose child still runs", async () => {
    // The leader exits at once on SIGTERM; its child (same group) takes a moment to drain.
    const shell = await startShell(`(trap "sleep 0.3; exit 0" TERM; echo ready; while :; do sleep 0.05; done) & wait`);
    expect(await stopGroup(shell, { graceMs: 5_000, resendMs: 2_000 })).toBe("exited");
    expect(signalGroup(shell, 0)).toBe(false);
  });
});
