import { createBrowseMix } from "./browse-mix.ts";
import type { MixName } from "./catalog.ts";
import type { LoadParams } from "./load-params.ts";
import { type LoadUser, registerLoadUsers } from "./load-users.ts";
import { createMixedMix } from "./mixed-mix.ts";
import type { Random, RequestFlow, RequestSpec } from "./request-spec.ts";
import { discoverSeedData, type SeedData } from "./seed-data.ts";

/**
 * What a scenario prepares before the load starts (k6's `setup()`, or the native
 * runner's fetch phase), and the request source it then draws from.
 */
export interface ScenarioData {
  seed: SeedData;
  /** Empty for the anonymous mix. */
  users: LoadUser[];
}

/** How many authors each load user follows, so feeds have content. */
const followsPerUser = 5;

export function* prepareScenarioData(
  mix: MixName,
  params: Pick<LoadParams, "maxArticles" | "users" | "zipfExponent">,
  runId: string,
  random: Random,
): RequestFlow<ScenarioData> {
  const seed = yield* discoverSeedData({ maxArticles: params.maxArticles });
  if (mix === "browse") return { seed, users: [] };
  const users = yield* registerLoadUsers({
    count: params.users,
    runId,
    authors: seed.usernames,
    followsPerUser,
    zipfExponent: params.zipfExponent,
    random,
  });
  return { seed, users };
}

export interface RequestMix {
  /** The next request; the logged-in mix needs the user it is sent as. */
  next: (random: Random, user: LoadUser | undefined) => RequestSpec;
}

export const createRequestMix = (mix: MixName, data: ScenarioData, zipfExponent: number): RequestMix => {
  if (mix === "browse") {
    const browse = createBrowseMix(data.seed, { zipfExponent });
    return { next: (random) => browse.next(random) };
  }
  const mixed = createMixedMix(data.seed, { zipfExponent });
  return {
    next: (random, user) => {
      if (user === undefined) throw new Error("the mixed request mix needs a logged-in user");
      return mixed.next(random, user);
    },
  };
};

/** A run id unique enough for user names: time in base 36 and a random tail. */
export const newRunId = (now: number, random: Random): string =>
  `${now.toString(36)}${Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, "0")}`;
