/**
 * The metrics both drivers report, under k6's names so one set of thresholds applies
 * to both. Load requests carry the tag `phase:load`; set-up requests (discovery,
 * registration) carry `phase:setup` and stay out of every figure.
 */
export const metricNames = {
  duration: "http_req_duration{phase:load}",
  failed: "http_req_failed{phase:load}",
  dropped: "dropped_iterations",
  cacheHit: "cache_hit",
  durationOf: (name: string) => `req_duration_${name}`,
  failedOf: (name: string) => `req_failed_${name}`,
  status: (status: number | "other") => `http_status_${status}`,
};

export const loadTags = { phase: "load" } as const;
export const setupTags = { phase: "setup" } as const;

/** Counted one by one; anything else lands in `http_status_other`. 0 is "no response". */
export const trackedStatuses = [
  0, 200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 409, 413, 422, 429, 500, 502, 503, 504,
] as const;

export const statusMetricName = (status: number): string =>
  metricNames.status((trackedStatuses as readonly number[]).includes(status) ? status : "other");

/** k6's default `http_req_failed` rule: anything outside 200-399, or no response at all. */
export const isFailedStatus = (status: number): boolean => status < 200 || status >= 400;

/** The trend statistics every summary carries; thresholds may ask for more percentiles. */
export const summaryTrendStats = ["count", "avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"];
