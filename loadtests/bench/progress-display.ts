import { formatSeconds } from "./run-estimate.ts";

/**
 * The bench's progress on stderr: on a terminal, one status line redrawn every second
 * (cell, phase, live CPU of the system under test and of foreign processes, elapsed time,
 * ETA) with log lines scrolling above it; elsewhere (CI logs), one line per phase.
 */
export interface LiveStatus {
  cellIndex: number;
  cellCount: number;
  cellId: string;
  phase: string;
  phaseElapsedSeconds?: number;
  phaseSeconds?: number;
  sutCores?: number;
  foreignCores?: number;
  remainingSeconds: number;
}

export interface ProgressDisplay {
  update: (status: LiveStatus) => void;
  log: (line: string) => void;
  stop: () => void;
}

const statusLine = (status: LiveStatus, elapsedSeconds: number): string => {
  const width = String(status.cellCount).length;
  const phaseClock =
    status.phaseSeconds === undefined
      ? ""
      : ` ${Math.min(status.phaseSeconds, Math.floor(status.phaseElapsedSeconds ?? 0))}/${status.phaseSeconds}s`;
  const cpu =
    status.sutCores === undefined
      ? ""
      : `  SUT ${status.sutCores.toFixed(2)} cores, foreign ${(status.foreignCores ?? 0).toFixed(2)}`;
  return (
    `[${String(status.cellIndex + 1).padStart(width)}/${status.cellCount}] ${status.cellId}  ${status.phase}${phaseClock}${cpu}` +
    `  | ${formatSeconds(elapsedSeconds)} elapsed, ~${formatSeconds(status.remainingSeconds)} left`
  );
};

export const createProgressDisplay = (stream: NodeJS.WriteStream = process.stderr): ProgressDisplay => {
  const startedAt = performance.now();
  const interactive = stream.isTTY === true;
  let last: LiveStatus | undefined;
  let lastPhase = "";
  const elapsed = () => (performance.now() - startedAt) / 1000;
  const draw = () => {
    if (last && interactive)
      stream.write(`\r\x1b[K${statusLine(last, elapsed()).slice(0, (stream.columns ?? 200) - 1)}`);
  };
  const timer = interactive ? setInterval(draw, 1_000) : undefined;
  timer?.unref();
  return {
    update: (status) => {
      last = status;
      if (interactive) return draw();
      const phase = `${status.cellId} ${status.phase}`;
      if (phase !== lastPhase) stream.write(`${statusLine(status, elapsed())}\n`);
      lastPhase = phase;
    },
    log: (line) => {
      stream.write(interactive ? `\r\x1b[K${line}\n` : `${line}\n`);
      draw();
    },
    stop: () => {
      clearInterval(timer);
      if (interactive && last) stream.write("\r\x1b[K");
    },
  };
};
