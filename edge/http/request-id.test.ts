import { describe, expect, it } from "vitest";
import { requestIdFor } from "./request-id.ts";

describe("request id", () => {
  it("keeps the client's id when it is short and plain", () => {
    expect(requestIdFor("abc-123_X=")).toBe("abc-123_X=");
  });

  it("makes a new one when the client's is missing, too long or not plain", () => {
    for (const presented of [undefined, "", "x".repeat(129), "not a plain id!", "a\nb"]) {
      expect(requestIdFor(presented)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});
