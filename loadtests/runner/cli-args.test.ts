import { describe, expect, it } from "vitest";
import { parseCli } from "./cli-args.ts";

describe("parseCli", () => {
  it("turns flags into the variables the k6 scripts read, over the inherited environment", () => {
    const parsed = parseCli(
      [
        "--scenario",
        "browse",
        "--base-url",
        "http://127.0.0.1:8787",
        "--duration",
        "30s",
        "--rate",
        "500",
        "--connections",
        "64",
        "--summary",
        "out.json",
      ],
      { RATE: "10", USERS: "5", HOME: "/root" },
    );
    expect(parsed).toEqual({
      kind: "run",
      request: {
        scenario: "browse",
        driver: "auto",
        env: {
          BASE_URL: "http://127.0.0.1:8787",
          DURATION: "30s",
          RATE: "500",
          CONNECTIONS: "64",
          USERS: "5",
          SUMMARY_PATH: "out.json",
        },
      },
    });
  });

  it("lets --driver force one driver", () => {
    const parsed = parseCli(["--scenario", "mixed", "--driver", "native"], {});
    expect(parsed.kind === "run" && parsed.request.driver).toBe("native");
  });

  it("explains what is wrong", () => {
    expect(parseCli([], {})).toMatchObject({ kind: "error", message: expect.stringContaining("--scenario") });
    expect(parseCli(["--scenario", "stress"], {})).toMatchObject({ kind: "error" });
    expect(parseCli(["--scenario", "soak", "--driver", "wrk"], {})).toMatchObject({
      kind: "error",
      message: expect.stringContaining("--driver"),
    });
    expect(parseCli(["--scenario", "soak", "--vus", "3"], {})).toMatchObject({ kind: "error" });
    expect(parseCli(["--help"], {})).toEqual({ kind: "help" });
  });
});
