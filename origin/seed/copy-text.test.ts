import { describe, expect, it } from "vitest";
import { copyLine } from "./copy-text.ts";

describe("copyLine", () => {
  it("separates columns by tabs and ends the row with a newline", () => {
    expect(copyLine([1, "a", true])).toBe("1\ta\ttrue\n");
  });

  it("escapes the characters COPY's text format gives meaning to", () => {
    expect(copyLine(["tab\there", "line\nbreak", "back\\slash", "cr\r"])).toBe(
      "tab\\there\tline\\nbreak\tback\\\\slash\tcr\\r\n",
    );
  });

  it("writes NULL as \\N, so a literal backslash-N string stays distinct", () => {
    expect(copyLine([null, "\\N"])).toBe("\\N\t\\\\N\n");
  });

  it("quotes every array element, escaping quotes and backslashes twice (array, then COPY)", () => {
    expect(copyLine([["a,b", 'say "hi"', "{x}", "c\\d"]])).toBe('{"a,b","say \\\\"hi\\\\"","{x}","c\\\\\\\\d"}\n');
  });

  it("writes dates as ISO 8601 instants", () => {
    expect(copyLine([new Date("2026-01-02T03:04:05.000Z")])).toBe("2026-01-02T03:04:05.000Z\n");
  });
});
