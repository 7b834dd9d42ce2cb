import { jwtVerify } from "jose";
import { median } from "../../loadtests/summary/percentile.ts";
import { createTokenService } from "../../shared/auth/token.ts";

/**
 * `npm run bench:token-verify` (Node) and `npm run bench:token-verify:deno`: the cost of
 * checking one token, as both tiers do on every authenticated request. Beside it, the same
 * check as jose does it when handed the secret as bytes (it then imports the key on every
 * call), which is what the token service did before it kept an imported CryptoKey. Rounds
 * interleave the two, so a neighbour's burst hurts both; the output gives medians.
 * Runtime-neutral on purpose: the edge runs this code on Deno and workerd.
 */
const rounds = 7;
const callsPerRound = 20_000;
const settings = { secret: "s".repeat(32), issuer: "conduit-hybrid", ttlSeconds: 3_600 };
const tokens = createTokenService(settings);
const token = await tokens.sign(42);
const secretBytes = new TextEncoder().encode(settings.secret);

const variants = {
  "token service (imported CryptoKey)": async () => {
    const check = await tokens.verify(token);
    if (!check.ok) throw new Error("the token did not verify");
  },
  "jose given the secret as bytes": async () => {
    await jwtVerify(token, secretBytes, { algorithms: ["HS256"], issuer: settings.issuer });
  },
};

const microsPerCall = async (verify: () => Promise<void>) => {
  const started = performance.now();
  for (let call = 0; call < callsPerRound; call++) await verify();
  return ((performance.now() - started) * 1_000) / callsPerRound;
};

for (const verify of Object.values(variants)) await microsPerCall(verify); // warm-up
const samples = new Map<string, number[]>(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, verify] of Object.entries(variants)) samples.get(name)?.push(await microsPerCall(verify));
}

const runtime = "Deno" in globalThis ? "Deno" : `Node ${globalThis.process?.version ?? ""}`;
console.log(`${runtime}: median of ${rounds} rounds of ${callsPerRound.toLocaleString("en")} verifications`);
for (const [name, values] of samples) {
  const spread = `${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)}`;
  console.log(`  ${name.padEnd(36)} ${median(values).toFixed(1).padStart(6)} µs/verify (rounds ${spread})`);
}
