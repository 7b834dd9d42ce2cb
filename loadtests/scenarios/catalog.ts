import { metricNames } from "../summary/metric-names.ts";
import type { Thresholds } from "../summary/thresholds.ts";
import { browseWeights } from "./browse-mix.ts";
import type { LoadParams, ScenarioDefaults } from "./load-params.ts";
import type { LoadProfile } from "./load-profile.ts";
import { mixedWeights } from "./mixed-mix.ts";

/**
 * The four scenarios: which request mix, which arrival profile, which targets. The k6
 * scripts and the native runner both read this catalog, so they cannot drift apart.
 * Targets are thresholds with their numbers; a run that misses one exits non-zero.
 */
export type ScenarioName = "browse" | "mixed" | "spike" | "soak";
export type MixName = "browse" | "mixed";

export interface ScenarioDefinition {
  name: ScenarioName;
  description: string;
  mix: MixName;
  defaults: ScenarioDefaults;
  profile: (params: Pick<LoadParams, "rate" | "durationSeconds">) => LoadProfile;
  thresholds: Thresholds;
}

export const mixRequestNames: Record<MixName, readonly string[]> = {
  browse: Object.keys(browseWeights),
  mixed: Object.keys(mixedWeights),
};

const constantRate = ({ rate, durationSeconds }: Pick<LoadParams, "rate" | "durationSeconds">): LoadProfile => ({
  executor: "constant-arrival-rate",
  rate,
  durationSeconds,
});

/** Steady, then five times the rate within a few seconds, hold, and back: does it recover? */
const spikeProfile = ({ rate, durationSeconds }: Pick<LoadParams, "rate" | "durationSeconds">): LoadProfile => {
  const part = (fraction: number) => Math.max(1, Math.round(durationSeconds * fraction));
  const peak = rate * 5;
  const stages = [
    { durationSeconds: part(0.3), target: rate },
    { durationSeconds: part(0.05), target: peak },
    { durationSeconds: part(0.3), target: peak },
    { durationSeconds: part(0.05), target: rate },
  ];
  // The recovery takes what rounding left, so the whole run lasts the duration asked for.
  const used = stages.reduce((sum, stage) => sum + stage.durationSeconds, 0);
  return {
    executor: "ramping-arrival-rate",
    startRate: rate,
    stages: [...stages, { durationSeconds: Math.max(1, durationSeconds - used), target: rate }],
  };
};

export const scenarioCatalog: Record<ScenarioName, ScenarioDefinition> = {
  browse: {
    name: "browse",
    description: "anonymous readers: article lists by page and tag, articles, comments, profiles, tags",
    mix: "browse",
    defaults: { rate: 500, durationSeconds: 30, connections: 64 },
    profile: constantRate,
    thresholds: {
      [metricNames.duration]: ["p(95)<200", "p(99)<500"],
      [metricNames.failed]: ["rate<0.01"],
    },
  },
  mixed: {
    name: "mixed",
    description: "logged-in users: feed, reads with a token, favorites, comments, new articles (10% writes)",
    mix: "mixed",
    defaults: { rate: 200, durationSeconds: 30, connections: 64 },
    profile: constantRate,
    thresholds: {
      [metricNames.duration]: ["p(95)<300", "p(99)<800"],
      [metricNames.failed]: ["rate<0.01"],
      [metricNames.durationOf("favoriteArticle")]: ["p(95)<500"],
      [metricNames.durationOf("createComment")]: ["p(95)<500"],
      [metricNames.durationOf("createArticle")]: ["p(95)<500"],
      // A login verifies a deliberately slow password hash.
      [metricNames.durationOf("login")]: ["p(95)<1000"],
    },
  },
  spike: {
    name: "spike",
    description: "anonymous readers at a base rate, then five times it, then back",
    mix: "browse",
    defaults: { rate: 100, durationSeconds: 60, connections: 128 },
    profile: spikeProfile,
    // Looser than browse: the point is that the spike is absorbed without an error storm.
    thresholds: {
      [metricNames.duration]: ["p(95)<1000"],
      [metricNames.failed]: ["rate<0.05"],
    },
  },
  soak: {
    name: "soak",
    description: "logged-in users at a moderate constant rate for a long time: leaks, growth, drift",
    mix: "mixed",
    defaults: { rate: 100, durationSeconds: 30 * 60, connections: 64 },
    profile: constantRate,
    thresholds: {
      [metricNames.duration]: ["p(95)<300", "p(99)<800"],
      [metricNames.failed]: ["rate<0.005"],
    },
  },
};

export const isScenarioName = (name: string): name is ScenarioName => Object.hasOwn(scenarioCatalog, name);
