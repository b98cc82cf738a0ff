import type { FastifyRequest } from 'fastify';

export const LANGS = ['ko', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'ko';
export const LANG_COOKIE = 'lang';

export const isLang = (v: unknown): v is Lang => v === 'ko' || v === 'en';

/** ko and en catalogues with the same keys: the type system refuses a message missing in one language. */
export type Catalogue<K extends string> = { ko: Record<K, string>; en: Record<K, string> };
export type Translate<K extends string> = (lang: Lang, key: K, params?: Record<string, string | number>) => string;

/**
 * Turns a ko/en catalogue into a translator; `{name}` placeholders are filled from params, and a
 * Korean particle written for both cases right after one ("{name}을(를)") becomes the one that
 * fits the value (`fitParticle`).
 */
export function defineMessages<K extends string>(catalogue: Catalogue<K>): Translate<K> & { catalogue: Catalogue<K> } {
  const t = (lang: Lang, key: K, params?: Record<string, string | number>) => {
    const text = catalogue[lang][key] ?? catalogue.ko[key] ?? key;
    return params ? fillParams(text, params) : text;
  };
  return Object.assign(t, { catalogue });
}

/** Picks the language: `?lang=` first, then the `lang` cookie, then Accept-Language, then Korean. */
export function negotiateLang(req: Pick<FastifyRequest, 'query' | 'headers'> & { cookies?: Record<string, string | undefined> }): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (isLang(q)) return q;
  const c = req.cookies?.[LANG_COOKIE];
  if (isLang(c)) return c;
  const header = req.headers['accept-language'];
  if (typeof header === 'string') {
    const ranked = header
      .split(',')
      .map((part) => {
        const [tag = '', ...ps] = part.trim().split(';');
        const qv = ps.find((p) => p.trim().startsWith('q='));
        return { lang: tag.trim().toLowerCase().slice(0, 2), q: qv ? Number(qv.trim().slice(2)) || 0 : 1 };
      })
      .filter((x) => x.q > 0)
      .sort((a, b) => b.q - a.q);
    const hit = ranked.find((r) => isLang(r.lang));
    if (hit) return hit.lang as Lang;
  }
  return DEFAULT_LANG;
}

/**
 * Korean dates and times are shown in Asia/Seoul whatever the server's zone, on a 24-hour clock
 * (the ICU data Node ships says "PM" rather than "오후" in Korean, and 24-hour times are what
 * government notices use anyway).
 */
export const DATE_TIME_OPTIONS: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Seoul' };
// formatters are built once: building one costs far more than using it
const DATE_TIME: Record<Lang, Intl.DateTimeFormat> = { ko: new Intl.DateTimeFormat('ko-KR', DATE_TIME_OPTIONS), en: new Intl.DateTimeFormat('en-GB', DATE_TIME_OPTIONS) };
export function formatDateTime(d: Date, lang: Lang): string {
  return DATE_TIME[lang].format(d);
}

const KOREA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The date in Korea (YYYY-MM-DD) at `now`, whatever the server's zone. */
export function koreaDay(now = new Date()): string {
  return KOREA_DAY.format(now);
}

/** A Korean particle written for both cases, as templates and messages do: "을(를)", "이(가)", "은(는)", "과(와)", "(으)로" (either order). */
export const PARTICLE_MARK = /(을\(를\)|를\(을\)|이\(가\)|가\(이\)|은\(는\)|는\(은\)|과\(와\)|와\(과\)|\(으\)로)/;
const PAIRS: Record<string, Parameters<typeof particle>[1]> = { '을(를)': '을/를', '를(을)': '을/를', '이(가)': '이/가', '가(이)': '이/가', '은(는)': '은/는', '는(은)': '은/는', '과(와)': '과/와', '와(과)': '과/와', '(으)로': '으로/로' };
const PARAM_AND_PARTICLE = new RegExp(String.raw`\{(\w+)\}` + PARTICLE_MARK.source + '?', 'g');

/** Fills `{name}` placeholders from `params` (an unknown one stays), with the particle after one that fits the value. */
export function fillParams(text: string, params: Record<string, string | number>): string {
  return text.replace(PARAM_AND_PARTICLE, (m, name: string, mark: string | undefined) => {
    if (!(name in params)) return m;
    const v = String(params[name]);
    return v + (mark ? fitParticle(v, mark) : '');
  });
}

/** The particle of a both-cases `mark` ("이(가)") that fits after `value` ("부모급여" → "가"). */
export function fitParticle(value: string, mark: string): string {
  const pair = PAIRS[mark];
  return pair ? particle(value, pair) : mark;
}

/**
 * The Korean particle that fits after `word`: the first of a pair ("을", "은", "이", "과") after a
 * final consonant (받침), the second ("를", "는", "가", "와") after a vowel; "으로"/"로" treats ㄹ as
 * a vowel. A word that does not end in a Hangul syllable (a digit, Latin) gets both, "을(를)".
 */
export function particle(word: string, pair: '을/를' | '은/는' | '이/가' | '과/와' | '으로/로'): string {
  const [withFinal, withoutFinal] = pair.split('/') as [string, string];
  // a closing note in brackets does not count: "월 소득(세전)" takes the particle of "소득"
  const w = word.trimEnd().replace(/\s*\([^()]*\)$/, '');
  const last = w.codePointAt(w.length - 1) ?? 0;
  if (last < 0xac00 || last > 0xd7a3) return `${withFinal}(${withoutFinal})`;
  const final = (last - 0xac00) % 28;
  if (pair === '으로/로') return final === 0 || final === 8 ? withoutFinal : withFinal;
  return final === 0 ? withoutFinal : withFinal;
}
