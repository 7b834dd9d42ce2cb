import { describe, expect, it } from "vitest";
import { api } from "../support/api-client.ts";

describe("health endpoints", () => {
  it("/healthz answers while the process runs", async () => {
    const response = await api("GET", "/healthz");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: "ok" });
  });

  it("/readyz answers when Postgres is reachable", async () => {
    const response = await api("GET", "/readyz");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
