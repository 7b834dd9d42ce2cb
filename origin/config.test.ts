import { describe, expect, it } from "vitest";
import { developmentJwtSecret, parseConfig } from "./config.ts";

const base = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" };

describe("parseConfig", () => {
  it("fills documented defaults", () => {
    const result = parseConfig(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.port).toBe(3001);
    expect(result.config.database.poolMax).toBe(10);
    expect(result.config.http.keepAliveTimeoutMs).toBe(65_000);
    expect(result.config.jwt.secret).toBe(developmentJwtSecret);
    expect(result.config.http.corsOrigins).toEqual(["*"]);
  });

  it("refuses production without a real JWT secret", () => {
    expect(parseConfig({ ...base, NODE_ENV: "production" })).toEqual({
      ok: false,
      problems: ["JWT_SECRET: must be set to a secret of 32+ characters in production"],
    });
    expect(parseConfig({ ...base, NODE_ENV: "production", JWT_SECRET: developmentJwtSecret }).ok).toBe(false);
    expect(parseConfig({ ...base, NODE_ENV: "production", JWT_SECRET: "x".repeat(40) }).ok).toBe(true);
  });

  it("names every invalid variable", () => {
    const result = parseConfig({ DATABASE_URL: "mysql://x", PORT: "0", JWT_SECRET: "short" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.split(":")[0])).toEqual(["PORT", "DATABASE_URL", "JWT_SECRET"]);
  });

  it("splits CORS origins", () => {
    const result = parseConfig({ ...base, CORS_ORIGINS: "https://a.example, https://b.example" });
    expect(result.ok && result.config.http.corsOrigins).toEqual(["https://a.example", "https://b.example"]);
  });
});
