import { ForbiddenError } from '../../platform/errors.ts';

/** Why a pull is refused, in words for the problem's title (the `code` and `type` say it for programs). */
const TITLES = {
  consent_withdrawn: { ko: '정보주체가 동의를 철회했습니다', en: 'The citizen withdrew the consent' },
  consent_expired: { ko: '동의 기간이 끝났습니다', en: 'The consent has expired' },
  consent_used: { ko: '한 번만 허용된 전송이 이미 이루어졌습니다', en: 'The one-time transfer has already been made' },
  consent_other_recipient: { ko: '이 동의는 다른 수신자에게 준 것입니다', en: 'The consent was given to another recipient' },
  consent_other_citizen: { ko: '이 동의는 다른 정보주체의 것입니다', en: 'The consent was given by another citizen' },
  consent_service_not_covered: { ko: '동의한 범위에 이 정보가 없습니다', en: 'The consent does not cover this data' },
  consent_not_found: { ko: '동의 내역을 찾을 수 없습니다', en: 'No such consent' },
  token_mismatch: { ko: '이 동의에 발급된 토큰이 아닙니다', en: 'The token is not the one bound to this consent' },
} as const;

export type Refusal = keyof typeof TITLES;
export const isRefusal = (code: string): code is Refusal => code in TITLES;

/** A 403 refusal of a pull, with its own title. */
export const refuse = (code: Refusal, detail: string) => new ForbiddenError(detail, code).titled(TITLES[code]);
