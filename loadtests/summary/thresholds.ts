import type { SummaryMetric, SummaryMetrics } from "./summary-metrics.ts";

/**
 * k6 thresholds (`{ "http_req_duration{phase:load}": ["p(95)<200"] }`): k6 evaluates them
 * itself; the native runner evaluates the same declarations here, with k6's grammar
 * (`<aggregation> <operator> <number>`) and its rule that a metric without data passes.
 */
export type Thresholds = Readonly<Record<string, readonly string[]>>;

export interface ParsedThreshold {
  aggregation: string;
  operator: "<" | "<=" | ">" | ">=" | "==" | "===" | "!=";
  value: number;
}

const expressionPattern = /^\s*([a-z]+|p\(\s*\d+(?:\.\d+)?\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

export const parseThreshold = (expression: string): ParsedThreshold => {
  const match = expressionPattern.exec(expression);
  if (!match) throw new Error(`not a threshold expression: "${expression}"`);
  return {
    aggregation: (match[1] as string).replace(/\s+/g, ""),
    operator: match[2] as ParsedThreshold["operator"],
    value: Number(match[3]),
  };
};

const compare = (actual: number, { operator, value }: ParsedThreshold): boolean => {
  switch (operator) {
    case "<":
      return actual < value;
    case "<=":
      return actual <= value;
    case ">":
      return actual > value;
    case ">=":
      return actual >= value;
    case "==":
    case "===":
      return actual === value;
    case "!=":
      return actual !== value;
  }
};

/** The figure a threshold compares, or undefined when the metric has none (no data). */
export const thresholdActual = (metric: SummaryMetric | undefined, expression: string): number | undefined => {
  if (metric === undefined) return undefined;
  const { aggregation } = parseThreshold(expression);
  const value = metric.values[aggregation];
  if (value === undefined) {
    throw new Error(`threshold "${expression}": a ${metric.type} metric has no "${aggregation}"`);
  }
  return value;
};

export const evaluateThreshold = (
  metric: SummaryMetric | undefined,
  expression: string,
): { ok: boolean; actual: number | undefined } => {
  const actual = thresholdActual(metric, expression);
  return { ok: actual === undefined || compare(actual, parseThreshold(expression)), actual };
};

/** Marks each metric's thresholds as k6 does in its summary data. */
export const applyThresholds = (metrics: SummaryMetrics, thresholds: Thresholds): SummaryMetrics => {
  const marked: SummaryMetrics = { ...metrics };
  for (const [name, expressions] of Object.entries(thresholds)) {
    const metric = marked[name];
    if (metric === undefined) continue;
    const outcome: Record<string, { ok: boolean }> = {};
    for (const expression of expressions) outcome[expression] = { ok: evaluateThreshold(metric, expression).ok };
    marked[name] = { ...metric, thresholds: outcome };
  }
  return marked;
};

/** Percentiles the thresholds ask for (`p(97.5)`), so summaries compute them. */
export const thresholdPercentiles = (thresholds: Thresholds): string[] => {
  const percentiles = new Set<string>();
  for (const expressions of Object.values(thresholds)) {
    for (const expression of expressions) {
      const { aggregation } = parseThreshold(expression);
      if (aggregation.startsWith("p(")) percentiles.add(aggregation);
    }
  }
  return [...percentiles];
};
