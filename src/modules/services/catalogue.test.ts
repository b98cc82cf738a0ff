import { describe, expect, it } from 'vitest';
import { calendarDate } from './cel-env.ts';
import { SHIPPED_SERVICES } from './catalogue.ts';
import { SERVICE_FIELDS } from './catalogue-types.ts';
import { FACTS, SIDO } from './facts.ts';
import { personas } from './personas.ts';
import { compileRule } from './rules.ts';

// The shipped catalogue holds what the issue asks and what the engine relies on.

const today = calendarDate('2026-12-06');
const REQUIRED = ['첫만남이용권', '부모급여', '아동수당', '가정양육수당', '기초연금', '장애인연금', '장애수당', '생계급여', '의료급여', '주거급여', '교육급여', '청년월세', '국민취업지원제도', '청년도약계좌', '에너지바우처', '근로장려금', '자녀장려금', '아동양육비', '국가장학금', '육아휴직 급여', '산모·신생아', '임신·출산 진료비', '영유아 건강검진', '국가건강검진', '자동차 정기검사', '운전면허', '주민등록증', '출생신고', '전입신고', '사망신고', '안심상속', '노인일자리', '치매', '인플루엔자', '전기요금', '보훈급여', '긴급복지', '활동지원', '소상공인 정책자금', '여권'];

describe('the shipped catalogue', () => {
  it('has at least 300 services with every field in ko and en, and the forty programmes the issue names', () => {
    expect(SHIPPED_SERVICES.length).toBeGreaterThanOrEqual(300);
    expect(new Set(SHIPPED_SERVICES.map((s) => s.id)).size).toBe(SHIPPED_SERVICES.length);
    for (const s of SHIPPED_SERVICES) {
      for (const k of ['name', 'agencyName', 'purpose', 'target', 'criteria', 'benefit', 'howToApply', 'deadline', 'contact', 'legalBasis'] as const) {
        expect(s[k].ko.trim(), `${s.id}.${k}.ko`).not.toBe('');
        expect(s[k].en.trim(), `${s.id}.${k}.en`).not.toBe('');
      }
      expect(s.documents.length, s.id).toBeGreaterThan(0);
      expect(Object.keys(SERVICE_FIELDS)).toContain(s.field);
      if (s.region) expect(SIDO as readonly string[]).toContain(s.region.sido);
      if (s.dueFact) expect(s.dueFact.split('.')[0]! in FACTS, s.id).toBe(true);
    }
    const national = SHIPPED_SERVICES.filter((s) => !s.region).map((s) => s.name.ko).join('\n');
    for (const name of REQUIRED) expect(national, name).toContain(name);
    expect(new Set(SHIPPED_SERVICES.filter((s) => s.region).map((s) => s.region!.sido)).size).toBe(17);
  });

  it('every rule checks and is translated to JavaScript', () => {
    const interpreted = SHIPPED_SERVICES.filter((s) => !compileRule(s.rule).compiled).map((s) => s.id);
    expect(interpreted).toEqual([]);
  });

  it("every regional programme is not for residents of another region, whatever else is true (the scan's region index relies on it)", () => {
    let checked = 0;
    for (const p of personas(today)) {
      const sido = (p.facts.person as { sido: string }).sido;
      for (const s of SHIPPED_SERVICES.filter((x) => x.region && x.region.sido !== sido)) {
        expect(compileRule(s.rule).decide(p.facts, today), `${s.id} for ${p.id}`).toBe('not-eligible');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });
});
