import { describe, expect, it } from "vitest";
import { isPinnedImage } from "./image-reference.ts";

describe("isPinnedImage", () => {
  it.each([
    "nginx:1.30.4-alpine",
    "prom/prometheus:v3.7.3",
    "registry.example.com:5000/team/app:2.1",
    `postgres@sha256:${"a".repeat(64)}`,
  ])("accepts %s", (reference) => {
    expect(isPinnedImage(reference)).toBe(true);
  });

  it.each([
    "nginx",
    "nginx:latest",
    "nginx:alpine",
    "node:24",
    "registry.example.com:5000/team/app",
    "grafana/k6:latest-with-browser",
  ])("rejects %s", (reference) => {
    expect(isPinnedImage(reference)).toBe(false);
  });
});
