import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTokenService, tokenFromAuthorizationHeader } from "./token.ts";

const settings = { secret: "s".repeat(40), ttlSeconds: 60, issuer: "conduit-test" };
const tokens = createTokenService(settings);

describe("token service", () => {
  it("verifies its own tokens", async () => {
    const token = await tokens.sign(42);
    expect(await tokens.verify(token)).toEqual({ ok: true, auth: { userId: 42, token } });
  });

  it("rejects a token signed with another secret", async () => {
    const other = await createTokenService({ ...settings, secret: "t".repeat(40) }).sign(42);
    expect(await tokens.verify(other)).toEqual({ ok: false, reason: "invalid" });
  });

  it("rejects a tampered payload", async () => {
    const [header, , signature] = (await tokens.sign(42)).split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "1", iss: settings.issuer })).toString("base64url");
    expect(await tokens.verify(`${header}.${payload}.${signature}`)).toEqual({ ok: false, reason: "invalid" });
  });

  it("reports expiry", async () => {
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("42")
      .setIssuer(settings.issuer)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(settings.secret));
    expect(await tokens.verify(expired)).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects the 'none' algorithm", async () => {
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify({ sub: "1", iss: settings.issuer })).toString("base64url");
    expect(await tokens.verify(`${header}.${payload}.`)).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("Authorization header", () => {
  it.each([
    [undefined, { kind: "absent" }],
    ["", { kind: "absent" }],
    ["Token abc.def.ghi", { kind: "token", token: "abc.def.ghi" }],
    ["Bearer abc.def.ghi", { kind: "token", token: "abc.def.ghi" }],
    ["Token", { kind: "malformed" }],
    ["Basic dXNlcjpwYXNz", { kind: "malformed" }],
    ["Token a b", { kind: "malformed" }],
  ])("%s", (header, expected) => {
    expect(tokenFromAuthorizationHeader(header)).toEqual(expected);
  });
});
