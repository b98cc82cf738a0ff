import { defineMessages } from './i18n.ts';

/** Titles of the platform's problem codes (RFC 9457 `title`) and of the fallback error page. */
export const platformMessages = defineMessages({
  ko: {
    bad_request: '요청이 올바르지 않습니다',
    validation_failed: '입력값이 올바르지 않습니다',
    malformed_json: 'JSON 형식이 올바르지 않습니다',
    unauthorized: '로그인이 필요합니다',
    forbidden: '권한이 없습니다',
    csrf_invalid: '보안 토큰이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도하세요',
    not_found: '요청하신 페이지나 자원을 찾을 수 없습니다',
    method_not_allowed: '허용되지 않는 요청 방식입니다',
    conflict: '현재 상태와 충돌하는 요청입니다',
    payload_too_large: '요청 본문이 허용된 크기를 넘습니다',
    unsupported_media_type: '지원하지 않는 콘텐츠 형식입니다',
    rate_limited: '요청이 너무 많습니다. 잠시 후 다시 시도하세요',
    internal_error: '일시적인 오류가 발생했습니다. 잠시 후 다시 시도하세요',
    service_unavailable: '서비스를 일시적으로 이용할 수 없습니다',
    error_page_home: '첫 화면으로 가기',
    error_page_code: '오류 코드',
    error_page_request: '요청 번호',
  },
  en: {
    bad_request: 'The request is not valid',
    validation_failed: 'Some input is not valid',
    malformed_json: 'The JSON body is malformed',
    unauthorized: 'You need to sign in',
    forbidden: 'You do not have permission',
    csrf_invalid: 'The security token is missing or expired. Reload the page and try again',
    not_found: 'The page or resource was not found',
    method_not_allowed: 'This request method is not allowed',
    conflict: 'The request conflicts with the current state',
    payload_too_large: 'The request body is larger than allowed',
    unsupported_media_type: 'This content type is not supported',
    rate_limited: 'Too many requests. Please try again shortly',
    internal_error: 'Something went wrong on our side. Please try again shortly',
    service_unavailable: 'The service is temporarily unavailable',
    error_page_home: 'Go to the home page',
    error_page_code: 'Error code',
    error_page_request: 'Request number',
  },
});

export type PlatformMessageKey = keyof typeof platformMessages.catalogue.ko;
