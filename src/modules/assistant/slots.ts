import { FACTS, type FactField, type Facts } from '../services/index.ts';
import { particle } from '../../platform/i18n.ts';
import { normalise } from './text.ts';

/**
 * Asking a person for the facts a rule needs, one at a time, and reading their answer
 * ("만 67세요", "월 180만 원 정도", "결혼했어요", "no") into the fact's type. The eligibility engine
 * then decides on what they said: the assistant never states an outcome it did not compute.
 * Facts of a list (children) are asked as the youngest child's date of birth.
 */

type Lang = 'ko' | 'en';

/** The field a fact path names (`person.age`), or for a list (`children.ageMonths`) the list's field. */
export function factField(path: string): FactField | undefined {
  const [group, field] = path.split('.') as [string, string];
  const g = (FACTS as Record<string, { fields: Record<string, FactField> }>)[group];
  return g?.fields[field];
}

const isChildren = (path: string) => path.startsWith('children.');

const VALUE_WORDS: Record<string, Array<[RegExp, string]>> = {
  maritalStatus: [[/미혼|싱글|결혼안|single|notmarried|unmarried/, 'single'], [/이혼|divorc/, 'divorced'], [/사별|돌아가|widow/, 'widowed'], [/기혼|결혼|배우자|married|wife|husband/, 'married']],
  sex: [[/여자|여성|여|female|woman/, 'F'], [/남자|남성|남|male|man/, 'M']],
  employmentType: [[/직장|회사|근로자|employee|employed|work for/, 'employee'], [/자영업|사업|self/, 'self-employed'], [/실업|무직|백수|unemploy|jobless/, 'unemployed'], [/은퇴|퇴직|retired/, 'retired'], [/학생|student/, 'student'], [/주부|homemaker/, 'homemaker'], [/아동|어린이|child/, 'child']],
};

/** How the choices of a fact are put to a person (each is read back by VALUE_WORDS or by its code). */
const OPTION_WORDS: Record<string, { ko: string; en: string }> = {
  single: { ko: '미혼', en: 'single' },
  married: { ko: '기혼', en: 'married' },
  divorced: { ko: '이혼', en: 'divorced' },
  widowed: { ko: '사별', en: 'widowed' },
  M: { ko: '남성', en: 'male' },
  F: { ko: '여성', en: 'female' },
  employee: { ko: '직장인', en: 'employee' },
  'self-employed': { ko: '자영업', en: 'self-employed' },
  unemployed: { ko: '실업', en: 'unemployed' },
  retired: { ko: '은퇴', en: 'retired' },
  student: { ko: '학생', en: 'student' },
  child: { ko: '아동', en: 'child' },
  homemaker: { ko: '주부', en: 'homemaker' },
};

/** The question for a fact, in the person's language. */
export function questionFor(path: string, lang: Lang): string {
  if (isChildren(path)) return lang === 'ko' ? '막내 아이의 생년월일을 알려 주세요. (예: 2026-10-01)' : "What is your youngest child's date of birth? (e.g. 2026-10-01)";
  const f = factField(path);
  const label = f?.label[lang] ?? path;
  if (!f) return lang === 'ko' ? `${label}${particle(label, '을/를')} 알려 주세요.` : `Please tell me your ${label}.`;
  if (f.type === 'bool') return lang === 'ko' ? `${label}에 해당하시나요? (예/아니요)` : `Does this apply to you: ${label}? (yes/no)`;
  if (f.type === 'timestamp') return lang === 'ko' ? `${label}${particle(label, '을/를')} 알려 주세요. (예: 2026-10-01)` : `What is your ${label}? (e.g. 2026-10-01)`;
  if (f.values && f.values.length <= 8) {
    // the choices, when every one has words a person would use
    const words = f.values.map((v) => OPTION_WORDS[v]?.[lang]);
    const choices = words.every(Boolean) ? ` (${words.join(', ')})` : '';
    return lang === 'ko' ? `${label}${particle(label, '을/를')} 알려 주세요.${choices}` : `What is your ${label}?${choices}`;
  }
  if (path.endsWith('Income') || path.endsWith('assets')) return lang === 'ko' ? `${label}${particle(label, '은/는')} 대략 얼마인가요? (예: 월 180만 원)` : `Roughly what is your ${label}? (e.g. 1,800,000)`;
  return lang === 'ko' ? `${label}${particle(label, '을/를')} 알려 주세요.` : `What is your ${label}?`;
}

/** A number from "180만 원", "1,800,000", "1.8 million", "만 67세", "3명" (undefined when there is none). */
export function parseNumber(text: string): number | undefined {
  const t = text.replace(/,/g, '').toLowerCase();
  const m = /(\d+(?:\.\d+)?)\s*(억|천만|백만|만|천|million|thousand|k\b)?/.exec(t);
  if (!m) {
    const words: Record<string, number> = { 한: 1, 하나: 1, 두: 2, 둘: 2, 세: 3, 셋: 3, 네: 4, 넷: 4, 다섯: 5, one: 1, two: 2, three: 3, four: 4, five: 5, none: 0, 없: 0 };
    for (const [w, n] of Object.entries(words)) if (t.includes(w)) return n;
    return undefined;
  }
  const n = Number(m[1]);
  const unit = { 억: 1e8, 천만: 1e7, 백만: 1e6, 만: 1e4, 천: 1e3, million: 1e6, thousand: 1e3, k: 1e3 }[m[2] ?? ''] ?? 1;
  return n * unit;
}

/** A calendar date from "2026-10-01", "2026년 10월 1일", "2026.10.1" (YYYY-MM-DD), or undefined. */
export function parseDate(text: string): string | undefined {
  const m = /(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})/.exec(text);
  if (!m) return undefined;
  const s = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${s}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s ? undefined : s;
}

/** The answer read as the fact's value, or undefined when it could not be read. */
export function parseAnswer(path: string, text: string): unknown {
  const norm = normalise(text);
  const compact = norm.replace(/ /g, '');
  if (isChildren(path)) return parseDate(text);
  const f = factField(path);
  if (!f) return undefined;
  if (f.type === 'double') return parseNumber(text);
  if (f.type === 'timestamp') return parseDate(text);
  if (f.type === 'bool') {
    if (/^(아니|아뇨|없|no|nope|nah|안|않)/.test(compact) || /아니요|아니에요|없어요|\bno\b/.test(norm)) return false;
    if (/^(예|네|넹|응|어|맞|있|그렇|yes|yep|yeah|y$)/.test(compact)) return true;
    return undefined;
  }
  const name = path.split('.')[1]!;
  for (const [re, v] of VALUE_WORDS[name] ?? []) if (re.test(compact) || re.test(norm)) return v;
  if (f.values) return f.values.find((v) => compact.includes(v.toLowerCase().replace(/\s/g, '')));
  return norm || undefined;
}

/** Sets a fact (for children: the youngest child, with its age in years and months on `today`). */
export function setFact(facts: Facts, path: string, value: unknown, today: Date): void {
  if (isChildren(path)) {
    const birth = new Date(`${String(value)}T00:00:00Z`);
    const months = (today.getUTCFullYear() - birth.getUTCFullYear()) * 12 + (today.getUTCMonth() - birth.getUTCMonth()) - (today.getUTCDate() < birth.getUTCDate() ? 1 : 0);
    facts.children = [{ birthDate: birth, ageMonths: Math.max(0, months), age: Math.max(0, Math.floor(months / 12)), order: 1 }];
    return;
  }
  const [group, field] = path.split('.') as [keyof Facts, string];
  const f = factField(path);
  const v = f?.type === 'timestamp' ? new Date(`${String(value)}T00:00:00Z`) : value;
  facts[group] = { ...(facts[group] as Record<string, unknown> | undefined), [field]: v } as never;
}
