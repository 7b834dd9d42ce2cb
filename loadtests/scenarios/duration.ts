/** Durations the way k6 writes them (`30s`, `5m`, `1h30m`; a bare number is seconds). */
const unitSeconds: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };

export const parseDurationSeconds = (text: string): number => {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) {
    throw new Error(`not a duration: "${text}" (use e.g. 30s, 5m, 1h30m)`);
  }
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let seconds = 0;
  for (let match = part.exec(trimmed); match !== null; match = part.exec(trimmed)) {
    seconds += Number(match[1]) * (unitSeconds[match[2] as string] ?? 0);
  }
  return seconds;
};

export const k6Duration = (seconds: number): string => `${Math.round(seconds * 1000) / 1000}s`;
