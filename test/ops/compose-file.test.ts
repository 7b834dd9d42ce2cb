// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are Compose interpolation syntax, not templates.
import { describe, expect, it } from "vitest";
import { interpolate, parseComposeDurationMs } from "./compose-file.ts";

describe("Compose interpolation", () => {
  it("takes the variable when set and the default otherwise", () => {
    expect(interpolate("${PORT:-8080}", { PORT: "9000" })).toBe("9000");
    expect(interpolate("${PORT:-8080}", {})).toBe("8080");
    expect(interpolate("${PORT:-8080}", { PORT: "" })).toBe("8080");
    expect(interpolate("${PORT-8080}", { PORT: "" })).toBe("");
    expect(interpolate("a$$b $NAME", { NAME: "x" })).toBe("a$b x");
  });

  it("refuses a missing required variable, like docker compose", () => {
    expect(() => interpolate("${JWT_SECRET:?set it}", {})).toThrow(/JWT_SECRET/);
    expect(interpolate("${JWT_SECRET:?set it}", { JWT_SECRET: "s" })).toBe("s");
  });
});

describe("Compose durations", () => {
  it("parses Go-style durations to milliseconds", () => {
    expect(parseComposeDurationMs("20s")).toBe(20_000);
    expect(parseComposeDurationMs("1m30s")).toBe(90_000);
    expect(parseComposeDurationMs("1500ms")).toBe(1_500);
  });

  it("rejects what Compose would reject", () => {
    expect(() => parseComposeDurationMs("20")).toThrow();
    expect(() => parseComposeDurationMs("20 seconds")).toThrow();
  });
});
