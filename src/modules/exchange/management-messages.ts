import type { FastifyInstance } from 'fastify';
import { PlatformError } from '../../platform/errors.ts';
import { defineMessages, type Lang } from '../../platform/i18n.ts';

/** ko/en texts of the directory and pub/sub errors (RFC 9457 `detail`). */
export const managementMessages = defineMessages({
  ko: {
    client_header_missing: 'X-GovStack-Client 헤더가 필요합니다 (형식: KR/GOV/기관코드/시스템코드)',
    client_header_malformed: 'X-GovStack-Client 헤더 형식이 올바르지 않습니다: {value}',
    client_unknown: '등록되지 않은 클라이언트 시스템입니다: {id}',
    signature_invalid: '요청 서명(RFC 9421)을 확인할 수 없습니다: {reason}',
    member_unknown: '등록되지 않은 기관입니다: {id}',
    subsystem_unknown: '등록되지 않은 시스템입니다: {id}',
    service_unknown: '등록되지 않은 서비스입니다: {id}',
    id_malformed: '식별자 형식이 올바르지 않습니다: {id}',
    member_class_invalid: '기관 분류는 GOV, COM, NGO 중 하나여야 합니다: {value}',
    not_provider: '{actor} 기관은 {service} 서비스의 제공 기관이 아니므로 접근 권한을 부여하거나 회수할 수 없습니다',
    legal_basis_required: '개인정보를 제공하는 서비스의 접근 권한에는 법적 근거가 필요합니다',
    right_not_found: '{client} 시스템에는 {service} 서비스에 대한 유효한 접근 권한이 없습니다',
    service_code_required: 'serviceCode 매개변수가 필요합니다',
    not_publisher: '이벤트 유형을 만들거나 이벤트를 발행할 수 있는 것은 발행 시스템({room}) 자신뿐입니다',
    event_type_exists: '이미 있는 이벤트 유형입니다: {type}',
    event_type_unknown: '없는 이벤트 유형입니다: {type}',
    event_type_invalid: '이벤트 유형 이름 형식이 올바르지 않습니다: {type}',
    event_type_mismatch: '본문의 eventType({body})이 경로의 이벤트 유형({path})과 다릅니다',
    schema_invalid: '이벤트 스키마가 올바른 JSON Schema가 아닙니다: {reason}',
    event_invalid: '이벤트가 이벤트 유형의 스키마와 맞지 않습니다',
    event_unknown: '없는 이벤트입니다: {id}',
    no_event_right: '{client} 시스템에는 {service} 이벤트 서비스에 대한 접근 권한이 없습니다',
    subscription_exists: '이미 이 이벤트 유형을 구독하고 있습니다: {type}',
    subscription_unknown: '이 이벤트 유형에 대한 구독이 없습니다: {type}',
    push_url_required: 'PUSH 구독에는 options.pushUrl(전달받을 http(s) 주소)이 필요합니다',
    push_url_invalid: 'options.pushUrl은 {schemes} 주소여야 합니다',
    not_pull_subscription: '이 이벤트 유형의 구독이 PULL 방식이 아닙니다: {type}',
    no_pending_event: '받지 않은 이벤트가 없습니다',
    event_not_pending: '이 구독에서 확인할 이벤트가 아닙니다: {id}',
  },
  en: {
    client_header_missing: 'The X-GovStack-Client header is required (format: KR/GOV/MEMBER/SUBSYSTEM)',
    client_header_malformed: 'The X-GovStack-Client header is malformed: {value}',
    client_unknown: 'Unknown client subsystem: {id}',
    signature_invalid: 'The request signature (RFC 9421) could not be verified: {reason}',
    member_unknown: 'Unknown member: {id}',
    subsystem_unknown: 'Unknown subsystem: {id}',
    service_unknown: 'Unknown service: {id}',
    id_malformed: 'Malformed identifier: {id}',
    member_class_invalid: 'The member class must be GOV, COM or NGO: {value}',
    not_provider: 'Member {actor} does not provide service {service}, so it cannot grant or revoke access to it',
    legal_basis_required: 'An access right to a service that provides personal data needs a legal basis',
    right_not_found: 'Subsystem {client} has no active access right to service {service}',
    service_code_required: 'The serviceCode parameter is required',
    not_publisher: 'Only the publishing subsystem ({room}) itself may create event types or publish events',
    event_type_exists: 'The event type already exists: {type}',
    event_type_unknown: 'Unknown event type: {type}',
    event_type_invalid: 'Malformed event type name: {type}',
    event_type_mismatch: 'The eventType in the body ({body}) differs from the event type in the path ({path})',
    schema_invalid: 'The event schema is not a usable JSON Schema: {reason}',
    event_invalid: 'The event does not match the schema of its event type',
    event_unknown: 'Unknown event: {id}',
    no_event_right: 'Subsystem {client} has no access right to the event service {service}',
    subscription_exists: 'Already subscribed to this event type: {type}',
    subscription_unknown: 'No subscription to this event type: {type}',
    push_url_required: 'A PUSH subscription needs options.pushUrl (the http(s) address to deliver to)',
    push_url_invalid: 'options.pushUrl must be a {schemes} address',
    not_pull_subscription: 'The subscription to this event type is not in PULL mode: {type}',
    no_pending_event: 'No unacknowledged event is waiting',
    event_not_pending: 'This event is not waiting for confirmation on this subscription: {id}',
  },
});

export type ManagementMessageKey = keyof typeof managementMessages.catalogue.ko;

/**
 * An error of the directory or pub/sub whose `detail` is shown in the caller's language. It is
 * thrown deep in the stores (which do not know the language) with Korean text; the plugin's
 * error handler swaps in the caller's language before the platform turns it into a problem.
 */
export class ExchangeError extends PlatformError {
  constructor(
    status: number,
    code: string,
    readonly key: ManagementMessageKey,
    readonly params: Record<string, string | number> = {},
    extra?: Record<string, unknown>,
  ) {
    super(code, status, managementMessages('ko', key, params), extra);
    this.name = 'ExchangeError';
  }

  in(lang: Lang): PlatformError {
    return new PlatformError(this.code, this.status, managementMessages(lang, this.key, this.params), this.extra);
  }
}

export const badRequest = (key: ManagementMessageKey, params?: Record<string, string | number>, extra?: Record<string, unknown>) =>
  new ExchangeError(400, 'bad_request', key, params, extra);
export const forbidden = (key: ManagementMessageKey, params?: Record<string, string | number>) => new ExchangeError(403, 'forbidden', key, params);
export const notFound = (key: ManagementMessageKey, params?: Record<string, string | number>) => new ExchangeError(404, 'not_found', key, params);
export const conflict = (key: ManagementMessageKey, params?: Record<string, string | number>) => new ExchangeError(409, 'conflict', key, params);

/** In an encapsulated plugin: re-throws ExchangeErrors in the caller's language to the platform's error handler. */
export function localizeErrors(app: FastifyInstance): void {
  app.setErrorHandler((err, req) => {
    throw err instanceof ExchangeError ? err.in(req.lang) : err;
  });
}
