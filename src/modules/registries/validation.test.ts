import { describe, expect, it } from 'vitest';
import type { RegistryInfo } from './catalog.ts';
import { REGISTRY_DEFINITIONS, type RegistryDefinition } from './definitions.ts';
import { isIsoDate, rrnBirthDate, validBusinessNumber, validRrn } from './identifiers.ts';
import { isBirthRegistration } from './life-events.ts';
import { parseContent, RecordValidationError, RESERVED_NAMES } from './validation.ts';

const info = (code: string): RegistryInfo => {
  const d = REGISTRY_DEFINITIONS.find((r) => r.code === code) as RegistryDefinition;
  return { ...d, id: 1, personal: true, disabled: false, providerId: '', serviceId: '', createdAt: '', modifiedAt: '', modifiedBy: '' };
};

function issues(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (e instanceof RecordValidationError) return Object.fromEntries(e.issues.map((i) => [i.field, i.code]));
    throw e;
  }
  return {};
}

describe('identifiers', () => {
  it('checks RRN check digits and encoded birth dates', () => {
    expect(validRrn('880101-1234568')).toBe(true);
    expect(validRrn('8801011234568')).toBe(true);
    expect(validRrn('880101-1234567')).toBe(false); // check digit
    expect(validRrn('881301-1234568')).toBe(false); // month 13
    expect(validRrn('88010-11234568')).toBe(true); // hyphen position does not matter, digits do
    expect(validRrn('880101-123456')).toBe(false);
    expect(rrnBirthDate('050229-3000000')).toBeUndefined(); // 2005 was no leap year
    expect(rrnBirthDate('040229-4000000')).toBe('2004-02-29');
  });

  it('checks business registration numbers (real ones pass)', () => {
    expect(validBusinessNumber('124-81-00998')).toBe(true);
    expect(validBusinessNumber('220-81-62517')).toBe(true);
    expect(validBusinessNumber('220-81-62518')).toBe(false);
  });

  it('accepts only real dates', () => {
    expect(['2024-02-29', '1999-12-31'].map(isIsoDate)).toEqual([true, true]);
    expect(['2023-02-29', '2024-1-01', '2024-04-31', '20240101'].map(isIsoDate)).toEqual([false, false, false, false]);
  });
});

describe('record validation', () => {
  const res = info('resident');
  const opts = { lang: 'en' as const, where: 'body/write/content' };

  it('refuses every kind of bad field, each by name', () => {
    expect(issues(() => parseContent(res, { rrn: '880101-1234568', name: '가', sex: 'M', birthDate: '1988-01-01', status: 'alive', nationality: 'korea', postalCode: 3154, extra: 1 }, 'create', opts))).toEqual({
      status: 'bad_enum',
      nationality: 'bad_pattern',
      postalCode: 'wrong_type',
      extra: 'unknown_field',
    });
    const biz = info('business');
    expect(issues(() => parseContent(biz, { subjectId: 'x', businessNumber: '220-81-62518', tradeName: 't', status: 'active' }, 'create', opts))).toEqual({
      subjectId: 'bad_ref',
      businessNumber: 'bad_business_number',
    });
    const fam = info('family');
    expect(issues(() => parseContent(fam, { children: ['not-a-uuid'] }, 'patch', opts))).toEqual({ children: 'bad_ref' });
    expect(issues(() => parseContent(fam, { children: 'one' }, 'patch', opts))).toEqual({ children: 'wrong_type' });
    expect(issues(() => parseContent(info('tax'), { taxYear: 2024.5 }, 'patch', opts))).toEqual({ taxYear: 'wrong_type' });
  });

  it('fills defaults on create, lets null clear optional fields on patch, and wants a query condition', () => {
    const created = parseContent(res, { rrn: '880101-1234568', name: '가', sex: 'M', birthDate: '1988-01-01', status: 'active' }, 'create', opts);
    expect(created.values.nationality).toBe('KR');
    expect(parseContent(res, { deathDate: null }, 'patch', opts).cleared).toEqual(['deathDate']);
    expect(issues(() => parseContent(res, { name: null }, 'patch', opts))).toEqual({ name: 'required' });
    expect(issues(() => parseContent(res, {}, 'query', opts))).toEqual({ '(query)': 'empty_query' });
    expect(issues(() => parseContent(res, { subjectId: '3f1c4a56-0000-4000-8000-000000000000' }, 'create', opts))).toMatchObject({ subjectId: 'not_for_registry' });
  });

  it('keeps field names clear of the reserved ones', () => {
    for (const d of REGISTRY_DEFINITIONS) for (const f of d.fields) expect(RESERVED_NAMES.has(f.name), `${d.code}.${f.name}`).toBe(false);
  });
});

describe('birth registration', () => {
  it('is a create with a birth date in the last year, or a reason that says so', () => {
    expect(isBirthRegistration('2024-05-01', null, '2024-06-01')).toBe(true);
    expect(isBirthRegistration('2023-06-01', null, '2024-06-01')).toBe(true);
    expect(isBirthRegistration('2023-05-31', null, '2024-06-01')).toBe(false);
    expect(isBirthRegistration('2024-06-02', null, '2024-06-01')).toBe(false);
    expect(isBirthRegistration('1990-01-01', '출생신고 (지연)', '2024-06-01')).toBe(true);
  });
});
