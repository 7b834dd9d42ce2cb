import pino, { type Logger } from "pino";
import type { Config } from "./config.ts";

/** JSON lines on stdout; the process role (primary or worker id) is on every line. */
export const createLogger = (level: Config["logLevel"], role: string): Logger =>
  pino({ level, base: { pid: process.pid, role }, timestamp: pino.stdTimeFunctions.isoTime });
