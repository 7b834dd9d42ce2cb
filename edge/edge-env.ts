import type { AppVariables } from "../shared/app/app-env.ts";
import type { WaitUntil } from "./cache/edge-cache.ts";

/**
 * What a runtime adapter hands the edge app with every request (Hono's bindings), and what
 * the app's middleware keep per request. The app itself knows no runtime.
 */
export interface EdgeBindings {
  /** The client's address as the runtime knows it (Workers: CF-Connecting-IP; Deno: the peer). */
  clientAddress: string | undefined;
  /** Keeps work running after the response (Workers: `ctx.waitUntil`). */
  waitUntil: WaitUntil;
}

export interface EdgeVariables extends AppVariables {
  /** Milliseconds this request spent waiting for the origin, for Server-Timing. */
  originMs: number | undefined;
}

export interface EdgeEnv {
  Bindings: EdgeBindings;
  Variables: EdgeVariables;
}
