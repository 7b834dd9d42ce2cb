import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm test`: everything CI checks, in the order that fails fastest: lint and format,
 * types (project and k6 scripts), then every vitest project (units, and the API,
 * ops and load-test suites against real services they start themselves).
 */
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

interface Step {
  name: string;
  command: string;
  args: string[];
  when?: () => boolean;
}

const reportDir = path.join(root, ".data", "test-results");
const vitestReport = path.join(reportDir, "vitest.json");

const steps: Step[] = [
  { name: "lint and format (biome)", command: bin("biome"), args: ["ci", "."] },
  { name: "types (tsc)", command: bin("tsc"), args: ["-p", "tsconfig.json"] },
  { name: "edge types without Node (tsc)", command: bin("tsc"), args: ["-p", "edge/tsconfig.json"] },
  {
    name: "k6 script types (tsc)",
    command: bin("tsc"),
    args: ["-p", "loadtests/tsconfig.json"],
    when: () => existsSync(path.join(root, "loadtests", "tsconfig.json")),
  },
  {
    name: "load-test runner and bench types (tsc)",
    command: bin("tsc"),
    args: ["-p", "loadtests/tsconfig.node.json"],
    when: () => existsSync(path.join(root, "loadtests", "tsconfig.node.json")),
  },
  {
    name: "tests (vitest)",
    command: bin("vitest"),
    args: ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`],
  },
];

// A report from an earlier run must never stand in for this one.
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
for (const step of steps) {
  if (step.when && !step.when()) continue;
  console.log(`\n\x1b[1m== ${step.name}\x1b[0m`);
  const result = spawnSync(step.command, step.args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${step.name} failed (exit ${result.status ?? result.signal})`);
    printVitestTotals();
    process.exit(1);
  }
}
printVitestTotals();

/** The plain closing line CI reads: counts from vitest's JSON report. */
function printVitestTotals() {
  if (!existsSync(vitestReport)) return;
  const report = JSON.parse(readFileSync(vitestReport, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
  };
  console.log(`\n${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`);
}
