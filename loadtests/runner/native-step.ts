import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";
import type { LoadParams } from "../scenarios/load-params.ts";
import type { RateStep } from "../scenarios/load-profile.ts";
import type { LoadUser } from "../scenarios/load-users.ts";
import type { RequestMix } from "../scenarios/scenario-data.ts";
import { cacheOutcome } from "../summary/cache-outcome.ts";
import type { SampleRecorder } from "../summary/sample-recorder.ts";
import { type InstanceShare, staggeredShares } from "./staggered-shares.ts";

/**
 * One constant-rate step of the native runner: staggered autocannon instances whose
 * every request is drawn from the scenario's mix and timed from write to last byte.
 */
const requestTimeoutSeconds = 10;

interface Sent {
  name: string;
  startedAt: number;
}

export interface StepRun {
  step: RateStep;
  mix: RequestMix;
  users: readonly LoadUser[];
  recorder: SampleRecorder;
  params: LoadParams;
  onIssued: () => void;
  /** Registers a way to stop the step early (Ctrl-C). */
  onStart: (stop: () => void) => void;
}

/** One constant-rate step as staggered autocannon instances; resolves when all have stopped. */
export const runStep = async ({ step, mix, users, recorder, params, onIssued, onStart }: StepRun): Promise<void> => {
  const target = new URL(params.baseUrl);
  const basePath = target.pathname.replace(/\/+$/, "");
  // A context object lives for exactly one request (the request list has one entry).
  const inFlight = new WeakMap<object, Sent>();
  const running = new Set<autocannon.Instance>();
  let stopped = false;
  onStart(() => {
    stopped = true;
    for (const instance of running) instance.stop();
  });

  const options = (share: InstanceShare): autocannon.Options => ({
    url: target.origin,
    connections: share.connections,
    duration: step.durationSeconds,
    overallRate: share.rate,
    timeout: requestTimeoutSeconds,
    requests: [
      {
        setupRequest: (request, context) => {
          const user = users.length === 0 ? undefined : users[Math.floor(Math.random() * users.length)];
          const spec = mix.next(Math.random, user);
          inFlight.set(context, { name: spec.name, startedAt: performance.now() });
          onIssued();
          return {
            ...request,
            method: spec.method,
            path: basePath + spec.path,
            headers: spec.headers,
            body: spec.body ?? "",
          };
        },
        onResponse: (status, _body, context, headers) => {
          const sent = inFlight.get(context);
          if (sent === undefined) return;
          inFlight.delete(context);
          recorder.record({
            name: sent.name,
            status,
            durationMs: performance.now() - sent.startedAt,
            cacheHit: cacheOutcome(headers ?? {}),
          });
        },
      },
    ],
  });

  const runShare = async (share: InstanceShare): Promise<void> => {
    await sleep(share.offsetMs);
    if (stopped) return;
    await new Promise<void>((resolve, reject) => {
      const instance = autocannon(options(share), (error) => {
        running.delete(instance);
        if (error) reject(error);
        else resolve();
      });
      running.add(instance);
      instance.on("reqError", () => recorder.recordNoResponse());
    });
  };
  await Promise.all(staggeredShares(step.rate, params.connections).map(runShare));
};
