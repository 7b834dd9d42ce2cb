import { describe, expect, it } from "vitest";
import { defaultSummaryPath, parseLoadParams } from "./load-params.ts";

const defaults = { rate: 500, durationSeconds: 30, connections: 64 };

describe("parseLoadParams", () => {
  it("falls back to the scenario's defaults and the NGINX entry point", () => {
    expect(parseLoadParams({}, defaults)).toEqual({
      baseUrl: "http://127.0.0.1:8080",
      rate: 500,
      durationSeconds: 30,
      connections: 64,
      users: 20,
      maxArticles: 1000,
      zipfExponent: 1,
      summaryPath: undefined,
    });
  });

  it("reads the k6-style variables", () => {
    const params = parseLoadParams(
      { BASE_URL: "http://127.0.0.1:8787/", RATE: "250.5", DURATION: "2m", CONNECTIONS: "8", SUMMARY_PATH: "x.json" },
      defaults,
    );
    expect(params).toMatchObject({
      baseUrl: "http://127.0.0.1:8787",
      rate: 250.5,
      durationSeconds: 120,
      connections: 8,
      summaryPath: "x.json",
    });
  });

  it("names every bad variable at once", () => {
    const parse = () =>
      parseLoadParams({ RATE: "-1", CONNECTIONS: "1.5", DURATION: "soon", BASE_URL: "ftp://x" }, defaults);
    for (const problem of ["RATE=-1", "CONNECTIONS=1.5", 'not a duration: "soon"', "BASE_URL=ftp://x"]) {
      expect(parse).toThrow(problem);
    }
  });

  it("puts summaries under reports/ with the scenario, driver and time in the name", () => {
    expect(defaultSummaryPath("browse", "native", new Date("2026-01-02T03:04:05.678Z"))).toBe(
      "reports/loadtests/browse-native-2026-01-02T03-04-05-678Z.json",
    );
  });
});
