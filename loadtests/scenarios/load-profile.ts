/**
 * How requests arrive over time, in k6's own terms (an open model: requests start on
 * schedule whether or not earlier ones have finished). k6 runs a profile as an
 * arrival-rate executor; the native runner approximates it in steps (see rateSteps).
 */
export interface RampStage {
  durationSeconds: number;
  /** Requests per second reached at the end of the stage, linearly from the previous rate. */
  target: number;
}

export type LoadProfile =
  | { executor: "constant-arrival-rate"; rate: number; durationSeconds: number }
  | { executor: "ramping-arrival-rate"; startRate: number; stages: RampStage[] };

export interface RateStep {
  durationSeconds: number;
  /** Requests per second for this step; 0 means idle. */
  rate: number;
}

export const profileDurationSeconds = (profile: LoadProfile): number =>
  profile.executor === "constant-arrival-rate"
    ? profile.durationSeconds
    : profile.stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);

/** Requests the profile schedules: the area under its rate curve. */
export const scheduledRequests = (profile: LoadProfile): number => {
  if (profile.executor === "constant-arrival-rate") return profile.rate * profile.durationSeconds;
  let rate = profile.startRate;
  let total = 0;
  for (const stage of profile.stages) {
    total += ((rate + stage.target) / 2) * stage.durationSeconds;
    rate = stage.target;
  }
  return total;
};

/**
 * The profile as constant-rate steps: a ramp becomes steps of at most `maxStepSeconds`,
 * each at the ramp's mean rate over the step, so the scheduled total is kept.
 */
export const rateSteps = (profile: LoadProfile, maxStepSeconds = 5): RateStep[] => {
  if (profile.executor === "constant-arrival-rate") {
    return [{ durationSeconds: profile.durationSeconds, rate: profile.rate }];
  }
  const steps: RateStep[] = [];
  let rate = profile.startRate;
  for (const stage of profile.stages) {
    if (stage.target === rate) {
      steps.push({ durationSeconds: stage.durationSeconds, rate });
    } else {
      const count = Math.max(1, Math.ceil(stage.durationSeconds / maxStepSeconds));
      const stepSeconds = stage.durationSeconds / count;
      for (let index = 0; index < count; index++) {
        const middle = (index + 0.5) / count;
        steps.push({ durationSeconds: stepSeconds, rate: rate + (stage.target - rate) * middle });
      }
    }
    rate = stage.target;
  }
  return steps.filter((step) => step.durationSeconds > 0);
};
