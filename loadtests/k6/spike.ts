import { scenarioCatalog } from "../scenarios/catalog.ts";
import { createK6Scenario } from "./k6-scenario.ts";

/** k6 entry for the `spike` scenario: `k6 run -e BASE_URL=http://127.0.0.1:8080 loadtests/k6/spike.ts`. */
const scenario = createK6Scenario(scenarioCatalog.spike);

export const options = scenario.options;
export const setup = scenario.setup;
export default scenario.iteration;
export const handleSummary = scenario.handleSummary;
