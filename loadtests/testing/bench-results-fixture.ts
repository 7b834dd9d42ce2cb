import { readFileSync } from "node:fs";
import type { BenchResults } from "../bench/bench-results.ts";

/**
 * A small results.json for tests of the reports: five cells of a real small-profile run
 * (4 s each, on the 2-core machine) and three made up from them (an origin fixed-rate cell,
 * two edge-fronted cells), as its stack notes say.
 */
export const benchResultsFixturePath = new URL("./bench-results.json", import.meta.url);

export const benchResultsFixture = (): BenchResults =>
  JSON.parse(readFileSync(benchResultsFixturePath, "utf8")) as BenchResults;
