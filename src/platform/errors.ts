/**
 * One error base for the whole platform. `code` is stable and machine-readable (clients and
 * tests match on it); `status` is the HTTP status; `detail` is safe to show to the caller.
 * Anything that is not a PlatformError is reported as a 500 without its message in production.
 */
export class PlatformError extends Error {
  /** A module's own ko/en title for its code (the platform's catalogue knows only the platform's codes). */
  titles?: { ko: string; en: string };

  constructor(
    readonly code: string,
    readonly status: number,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? code);
    this.name = 'PlatformError';
  }

  /** Gives the problem its own ko/en title; returns the error, to be thrown. */
  titled(titles: { ko: string; en: string }): this {
    this.titles = titles;
    return this;
  }
}

export class BadRequestError extends PlatformError {
  constructor(detail?: string, extra?: Record<string, unknown>, code = 'bad_request') {
    super(code, 400, detail, extra);
  }
}

export class UnauthorizedError extends PlatformError {
  constructor(detail?: string, code = 'unauthorized') {
    super(code, 401, detail);
  }
}

export class ForbiddenError extends PlatformError {
  constructor(detail?: string, code = 'forbidden') {
    super(code, 403, detail);
  }
}

export class NotFoundError extends PlatformError {
  constructor(detail?: string, code = 'not_found') {
    super(code, 404, detail);
  }
}

export class ConflictError extends PlatformError {
  constructor(detail?: string, code = 'conflict') {
    super(code, 409, detail);
  }
}

/** RFC 9457 problem details, the body of every API error. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  errors?: Array<{ path: string; message: string }>;
  [k: string]: unknown;
}

export const problemType = (code: string) => `urn:hanaro:problem:${code}`;
