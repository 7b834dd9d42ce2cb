import { type ErrorCode, errorCodes } from "./error-codes.ts";

/** Field-keyed messages, the body of the RealWorld error shape. */
export type FieldErrors = Record<string, string[]>;

export interface ErrorBody {
  errors: FieldErrors;
}

/**
 * An expected failure. Handlers throw it (or return it from a repository as a value) and
 * the one error renderer turns it into the spec's JSON shape; it never carries a stack to
 * the client.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, options: { fields?: FieldErrors; retryAfterSeconds?: number } = {}) {
    super(code);
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  toBody(): ErrorBody {
    if (this.fields) return { errors: this.fields };
    const { key, message } = errorCodes[this.code];
    return { errors: { [key]: [message] } };
  }
}

export const validationError = (fields: FieldErrors): AppError => new AppError("validationFailed", { fields });
