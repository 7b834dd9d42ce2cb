import { describe, expect, it } from "vitest";
import { slugify, slugWithSuffix } from "./slug.ts";

describe("slugify", () => {
  it("lowercases and joins words with single dashes", () => {
    expect(slugify("How to Train  Your Dragon!")).toBe("how-to-train-your-dragon");
  });

  it("keeps letters of any script so unicode titles stay readable", () => {
    expect(slugify("日本語のタイトル 🐉")).toBe("日本語のタイトル");
    expect(slugify("Καλημέρα κόσμε")).toBe("καλημέρα-κόσμε");
  });

  it("never returns an empty slug", () => {
    expect(slugify("!!! ???")).toBe("article");
  });

  it("bounds the length without a trailing dash", () => {
    const slug = slugify(`${"word ".repeat(60)}`);
    expect([...slug].length).toBeLessThanOrEqual(96);
    expect(slug.endsWith("-")).toBe(false);
  });

  it("turns SQL-looking titles into plain slugs", () => {
    expect(slugify("'; DROP TABLE users; --")).toBe("drop-table-users");
  });
});

describe("slugWithSuffix", () => {
  it("appends a 6-character suffix that differs between calls", () => {
    const slugs = new Set(Array.from({ length: 50 }, () => slugWithSuffix("title")));
    expect(slugs.size).toBe(50);
    for (const slug of slugs) expect(slug).toMatch(/^title-[0-9a-z]{6}$/);
  });
});
