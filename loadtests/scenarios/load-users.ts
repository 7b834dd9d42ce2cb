import { conduitRequests } from "./conduit-requests.ts";
import { expectStatus, isRecord, parseObject } from "./json-guards.ts";
import type { Random, RequestFlow } from "./request-spec.ts";
import { zipfSampler } from "./zipf.ts";

/**
 * The logged-in users of the `mixed` and `soak` scenarios: registered fresh for each run
 * (unique names, so runs never collide with each other or with seeded users), each
 * following a few authors so its feed is not empty.
 */
export interface LoadUser {
  username: string;
  email: string;
  password: string;
  token: string;
}

export interface LoadUserOptions {
  count: number;
  /** Unique per run, e.g. a base-36 timestamp and a random suffix. */
  runId: string;
  /** Candidates to follow, most popular first. */
  authors: readonly string[];
  followsPerUser: number;
  zipfExponent: number;
  random: Random;
}

const password = "load-test-password";

const tokenOf = (body: Record<string, unknown>): string | undefined =>
  isRecord(body.user) && typeof body.user.token === "string" ? body.user.token : undefined;

export function* registerLoadUsers(options: LoadUserOptions): RequestFlow<LoadUser[]> {
  const users: LoadUser[] = [];
  for (let index = 0; index < options.count; index++) {
    const username = `load_${options.runId}_${index}`;
    const email = `${username}@load.test`;
    const registerRequest = conduitRequests.register({ username, email, password });
    const registered = yield registerRequest;
    expectStatus(registerRequest, registered, [201]);

    // The scenario logs in as a returning user would; registering alone also yields a token.
    const loginRequest = conduitRequests.login(email, password);
    const loggedIn = yield loginRequest;
    expectStatus(loginRequest, loggedIn, [200]);
    const token = tokenOf(parseObject(loginRequest, loggedIn));
    if (token === undefined) throw new Error(`login of ${username}: no user.token in the response`);
    users.push({ username, email, password, token });
  }

  if (options.authors.length > 0) {
    const authorRank = zipfSampler(options.authors.length, options.zipfExponent);
    for (const user of users) {
      const follows = new Set<string>();
      for (let attempt = 0; attempt < options.followsPerUser * 3 && follows.size < options.followsPerUser; attempt++) {
        follows.add(options.authors[authorRank.sample(options.random)] as string);
      }
      for (const author of follows) {
        const followRequest = conduitRequests.followUser(author, user.token);
        expectStatus(followRequest, yield followRequest, [200]);
      }
    }
  }
  return users;
}
