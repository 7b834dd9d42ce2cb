/**
 * When to restart a dead worker. Each crash within `windowMs` of the previous ones doubles
 * the delay (from `baseDelayMs` up to `maxDelayMs`); more than `maxCrashes` crashes in the
 * window is a crash loop, and restarting would only burn CPU and flood the logs.
 */
export interface RestartPolicySettings {
  baseDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
  maxCrashes: number;
}

export type RestartDecision = { action: "restart"; delayMs: number } | { action: "give-up"; crashes: number };

const defaults: RestartPolicySettings = { baseDelayMs: 100, maxDelayMs: 10_000, windowMs: 60_000, maxCrashes: 10 };

export class RestartPolicy {
  readonly #settings: RestartPolicySettings;
  #crashTimes: number[] = [];

  constructor(settings: Partial<RestartPolicySettings> = {}) {
    this.#settings = { ...defaults, ...settings };
  }

  onExit(now: number): RestartDecision {
    const { baseDelayMs, maxDelayMs, windowMs, maxCrashes } = this.#settings;
    this.#crashTimes = [...this.#crashTimes.filter((time) => now - time < windowMs), now];
    const crashes = this.#crashTimes.length;
    if (crashes > maxCrashes) return { action: "give-up", crashes };
    return { action: "restart", delayMs: Math.min(maxDelayMs, baseDelayMs * 2 ** (crashes - 1)) };
  }
}
