import { defineMessages, type Lang } from '../../platform/i18n.ts';

/**
 * Errors the mediator itself answers (the X-Road "Security Server" errors, PR-REST §4.6). They
 * carry the `X-Road-Error` header; errors a provider answers pass through without it.
 *
 * The body satisfies both X-Road and RFC 9457 (our problem+json convention):
 *
 *   { "type": "Client.AccessDenied",        X-Road error type; also a valid RFC 9457 type
 *                                           (a relative URI reference)
 *     "message": "...",                     X-Road: what went wrong (English, technical)
 *     "detail": "...",                      RFC 9457: the same explanation for this occurrence
 *     "title": "접근 권한이 없습니다",        RFC 9457: ko/en by Accept-Language
 *     "status": 403, "code": "access_denied", "instance": "/r1/…",
 *     "xRoadId": "…", "requestId": "…" }
 *
 * X-Road's examples put an error id in `detail`; we put the explanation there (RFC 9457's
 * meaning) and give the ids their own fields, with the X-Road-Id also in the header.
 */
export const XROAD_ERRORS = {
  'Client.InvalidRequest': { status: 400, code: 'invalid_request' },
  'Client.InvalidSignatureValue': { status: 401, code: 'invalid_signature' },
  'Client.AccessDenied': { status: 403, code: 'access_denied' },
  // under a citizen's consent (X-Hanaro-Consent, platform/consent.ts): one type per reason
  'Client.ConsentRequired': { status: 403, code: 'consent_required' },
  'Client.ConsentNotFound': { status: 403, code: 'consent_not_found' },
  'Client.ConsentWithdrawn': { status: 403, code: 'consent_withdrawn' },
  'Client.ConsentExpired': { status: 403, code: 'consent_expired' },
  'Client.ConsentUsed': { status: 403, code: 'consent_used' },
  'Client.ConsentOtherCitizen': { status: 403, code: 'consent_other_citizen' },
  'Client.ConsentOtherRecipient': { status: 403, code: 'consent_other_recipient' },
  'Client.ConsentServiceNotCovered': { status: 403, code: 'consent_service_not_covered' },
  'Server.ServerProxy.ConsentUnavailable': { status: 503, code: 'consent_unavailable' },
  'Server.ServerProxy.UnknownService': { status: 404, code: 'unknown_service' },
  'Client.PayloadTooLarge': { status: 413, code: 'payload_too_large' },
  'Server.ServerProxy.InternalError': { status: 500, code: 'internal_error' },
  'Server.ServerProxy.ServiceFailed': { status: 502, code: 'service_failed' },
  'Server.ServerProxy.ServiceDisabled': { status: 503, code: 'service_disabled' },
  'Server.ServerProxy.DatabaseError': { status: 503, code: 'log_unavailable' },
  'Server.ServerProxy.ServiceTimeout': { status: 504, code: 'service_timeout' },
  'Server.ServerProxy.NetworkError': { status: 504, code: 'service_unreachable' },
} as const;

export type XRoadErrorType = keyof typeof XROAD_ERRORS;
type Code = (typeof XROAD_ERRORS)[XRoadErrorType]['code'];

const titles = defineMessages<Code>({
  ko: {
    invalid_request: '정보 중계 요청 형식이 올바르지 않습니다',
    invalid_signature: '요청 서명을 확인할 수 없습니다',
    access_denied: '이 서비스를 이용할 권한이 없습니다',
    consent_required: '정보주체의 동의가 필요한 요청입니다',
    consent_not_found: '동의 내역을 찾을 수 없습니다',
    consent_withdrawn: '정보주체가 동의를 철회했습니다',
    consent_expired: '동의 기간이 끝났습니다',
    consent_used: '한 번만 허용된 전송이 이미 이루어졌습니다',
    consent_other_citizen: '이 동의는 다른 정보주체의 것입니다',
    consent_other_recipient: '이 동의는 다른 수신자에게 준 것입니다',
    consent_service_not_covered: '동의한 범위에 이 서비스가 없습니다',
    consent_unavailable: '동의를 확인할 수 없어 요청을 처리하지 않았습니다',
    unknown_service: '등록되지 않은 서비스입니다',
    payload_too_large: '요청 본문이 허용된 크기를 넘습니다',
    internal_error: '정보 중계 중 내부 오류가 발생했습니다',
    service_failed: '제공 기관 시스템이 올바르게 응답하지 않았습니다',
    service_disabled: '이 서비스는 현재 중지되어 있습니다',
    log_unavailable: '중계 기록을 남길 수 없어 요청을 처리하지 않았습니다',
    service_timeout: '제공 기관 시스템이 제한 시간 안에 응답하지 않았습니다',
    service_unreachable: '제공 기관 시스템에 연결할 수 없습니다',
  },
  en: {
    invalid_request: 'The request does not follow the X-Road message protocol',
    invalid_signature: 'The request signature could not be verified',
    access_denied: 'The client has no access right to this service',
    consent_required: 'This request needs the citizen\'s consent',
    consent_not_found: 'No such consent',
    consent_withdrawn: 'The citizen withdrew the consent',
    consent_expired: 'The consent has expired',
    consent_used: 'The one-time transfer has already been made',
    consent_other_citizen: 'The consent was given by another citizen',
    consent_other_recipient: 'The consent was given to another recipient',
    consent_service_not_covered: 'The consent does not cover this service',
    consent_unavailable: 'The consent could not be checked, so the request was not served',
    unknown_service: 'The service is not in the directory',
    payload_too_large: 'The request body is larger than allowed',
    internal_error: 'The mediator failed while handling the request',
    service_failed: 'The provider did not answer properly',
    service_disabled: 'The service is disabled',
    log_unavailable: 'The exchange could not be logged, so it was not served',
    service_timeout: 'The provider did not answer within the time limit',
    service_unreachable: 'The provider could not be reached',
  },
});

export class XRoadError extends Error {
  readonly status: number;
  readonly code: Code;
  constructor(
    readonly type: XRoadErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'XRoadError';
    this.status = XROAD_ERRORS[type].status;
    this.code = XROAD_ERRORS[type].code;
  }
}

export function xroadErrorBody(err: XRoadError, ctx: { lang: Lang; instance: string; xRoadId: string; requestId?: string }): Buffer {
  return Buffer.from(
    JSON.stringify({
      type: err.type,
      message: err.message,
      detail: err.message,
      title: titles(ctx.lang, err.code),
      status: err.status,
      code: err.code,
      instance: ctx.instance,
      xRoadId: ctx.xRoadId,
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
    }),
  );
}

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8';
