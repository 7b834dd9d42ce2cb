import { errors, jwtVerify, SignJWT } from "jose";
import type { AuthContext } from "../http/auth-rule.ts";

/**
 * Conduit tokens: HS256 JWTs whose subject is the user id. Both tiers verify them with
 * WebCrypto (jose), so the edge can refuse a bad token without asking the origin.
 */
export interface TokenSettings {
  secret: string;
  ttlSeconds: number;
  issuer: string;
}

export type TokenCheck = { ok: true; auth: AuthContext } | { ok: false; reason: "invalid" | "expired" };

const algorithm = "HS256";

export const createTokenService = (settings: TokenSettings) => {
  // Given the secret as bytes, jose imports it into a CryptoKey on every call; importing it
  // once takes that off every request (docs/benchmarks/token-verify.md: a fifth of a verify
  // on Node, two fifths on Deno). A CryptoKey holds no I/O, so a Worker may keep it.
  let hmacKey: Promise<CryptoKey> | undefined;
  const key = () =>
    (hmacKey ??= crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(settings.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    ));

  const sign = async (userId: number): Promise<string> =>
    new SignJWT({})
      .setProtectedHeader({ alg: algorithm })
      .setSubject(String(userId))
      .setIssuer(settings.issuer)
      .setIssuedAt()
      .setExpirationTime(`${settings.ttlSeconds}s`)
      .sign(await key());

  const verify = async (token: string): Promise<TokenCheck> => {
    try {
      const { payload } = await jwtVerify(token, await key(), { algorithms: [algorithm], issuer: settings.issuer });
      const userId = Number(payload.sub);
      if (!Number.isSafeInteger(userId) || userId <= 0) return { ok: false, reason: "invalid" };
      return { ok: true, auth: { userId, token } };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { ok: false, reason: "expired" };
      if (error instanceof errors.JOSEError) return { ok: false, reason: "invalid" };
      throw error;
    }
  };

  return { sign, verify };
};

export type TokenService = ReturnType<typeof createTokenService>;

export type PresentedToken = { kind: "absent" } | { kind: "malformed" } | { kind: "token"; token: string };

/** `Authorization: Token <jwt>` per the spec; `Bearer` is accepted too, as many clients send it. */
export const tokenFromAuthorizationHeader = (header: string | undefined): PresentedToken => {
  if (header === undefined || header.trim() === "") return { kind: "absent" };
  const token = /^(?:Token|Bearer) +(\S+) *$/i.exec(header)?.[1];
  return token ? { kind: "token", token } : { kind: "malformed" };
};
