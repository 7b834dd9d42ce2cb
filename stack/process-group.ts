import type { ManagedProcess } from "./managed-process.ts";

/**
 * Stopping a process together with everything it started: it runs in its own group
 * (startProcess spawns detached), and the group is signalled, not the leader alone.
 */

/** Signals the whole group; signal 0 only asks whether any member is left. */
export const signalGroup = (leader: ManagedProcess, signal: NodeJS.Signals | 0) => {
  if (leader.child.pid === undefined) return false;
  try {
    process.kill(-leader.child.pid, signal);
    return true;
  } catch {
    return false;
  }
};

export interface GroupStopTiming {
  /** How long the group gets before SIGKILL. */
  graceMs: number;
  /** How often SIGTERM is sent again while any member is left. */
  resendMs: number;
}

const pollMs = 50;
const reapWaitMs = 2_000;

/**
 * SIGTERM, sent again every `resendMs` while any member is left, then SIGKILL at the end of
 * the grace. Says "exited" if the group left by itself, "killed" if it had to be forced.
 *
 * Sent again because one SIGTERM is not always heard: `deno serve --parallel` delivers a
 * signal only to the isolates that have registered for it, so an isolate still loading its
 * module when SIGTERM arrives never hears it, and its server keeps the process alive until
 * SIGKILL (4 stops in 60 right after start-up, on a loaded machine). A member already
 * shutting down takes a second SIGTERM as the same request.
 */
export const stopGroup = async (
  leader: ManagedProcess,
  { graceMs, resendMs }: GroupStopTiming = { graceMs: 10_000, resendMs: 500 },
): Promise<"exited" | "killed"> => {
  const startedAt = Date.now();
  let lastSentAt = startedAt;
  // The leader may be gone while a child still drains: the group is asked, not the leader.
  if (signalGroup(leader, "SIGTERM")) {
    while (signalGroup(leader, 0) && Date.now() - startedAt < graceMs) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      if (Date.now() - lastSentAt >= resendMs) {
        signalGroup(leader, "SIGTERM");
        lastSentAt = Date.now();
      }
    }
  }
  const forced = signalGroup(leader, "SIGKILL");
  await leader.exited;
  // Members killed with the leader are orphans until init reaps them; callers expect no
  // member left, and SIGKILL leaves only that short wait.
  const reapDeadline = Date.now() + reapWaitMs;
  while (forced && signalGroup(leader, 0) && Date.now() < reapDeadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return forced ? "killed" : "exited";
};
