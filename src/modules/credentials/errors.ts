import { PlatformError } from '../../platform/errors.ts';

/**
 * An OAuth 2.0 / OpenID4VCI error: answered as `{ error, error_description }` (RFC 6749 §5.2,
 * OpenID4VCI §8.3.1), which the credentials routes' error handler sends with the status given.
 * `extra` adds members such as a fresh `c_nonce` is not (1.0 uses the nonce endpoint instead).
 */
export class OAuthError extends PlatformError {
  constructor(
    status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(error, status, description);
  }
}
