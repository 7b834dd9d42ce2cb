/**
 * Just enough of the Prometheus text format (version 0.0.4) to read counters and gauges
 * from the origin's /metrics: one sample per line, `name{label="value",...} number`.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

const unescapeLabel = (value: string) =>
  value.replace(/\\(["\\n])/g, (_, char: string) => (char === "n" ? "\n" : char));

export const parsePrometheusText = (text: string): PromSample[] =>
  text.split("\n").flatMap((line) => {
    if (line.startsWith("#")) return [];
    const match = sampleLine.exec(line.trim());
    if (!match) return [];
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(labelPair))
      labels[pair[1] as string] = unescapeLabel(pair[2] as string);
    const value = Number(match[3]);
    return Number.isNaN(value) ? [] : [{ name: match[1] as string, labels, value }];
  });

/** The sum of a metric's samples whose labels pass `where`. */
export const sumSamples = (
  samples: readonly PromSample[],
  name: string,
  where: (labels: Record<string, string>) => boolean = () => true,
): number =>
  samples.reduce((sum, sample) => (sample.name === name && where(sample.labels) ? sum + sample.value : sum), 0);
