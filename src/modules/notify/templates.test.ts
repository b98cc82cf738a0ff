import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMime, encodeWords } from './mime.ts';
import { measureSms, smsKind, SmsTextError } from './sms-text.ts';
import { checkTemplate, placeholdersOf, render, MissingPersonalisationError, type TemplateContent } from './templates.ts';

describe('Korean SMS length', () => {
  it('counts CP949 bytes: ASCII one, Hangul and KS X 1001 symbols two', () => {
    expect(measureSms('abc').bytes).toBe(3);
    expect(measureSms('가나다').bytes).toBe(6);
    expect(measureSms('똠방각하').bytes).toBe(8); // 똠 is in CP949's extension, not KS X 1001
    expect(measureSms('①·₩').unsupported).toEqual(['₩']);
    expect(measureSms('인증 😀').unsupported).toEqual(['😀']);
  });
  it('45 Hangul is an SMS, 46 an LMS, past 2,000 bytes refused', () => {
    expect(smsKind('가'.repeat(45)).kind).toBe('sms');
    expect(smsKind('가'.repeat(46)).kind).toBe('lms');
    expect(smsKind('a'.repeat(90)).kind).toBe('sms');
    expect(smsKind('a'.repeat(2000)).kind).toBe('lms');
    expect(() => smsKind('가'.repeat(1001))).toThrow(SmsTextError);
    expect(() => smsKind('ok', '제목'.repeat(11))).toThrow(/title/);
    expect(() => smsKind('  ')).toThrow(/empty/);
  });
});

const content = (over: Partial<TemplateContent['ko']> = {}): TemplateContent => ({
  ko: { sms: { body: '((name))님, ((benefit)) 안내' }, email: { subject: '((benefit))', body: '((name))님((note?? - 메모 있음))' }, ...over },
  en: { sms: { body: '((name)), ((benefit))' }, email: { subject: '((benefit))', body: 'Dear ((name))' } },
});

describe('templates', () => {
  it('finds placeholders, optional ones marked', () => {
    expect(placeholdersOf('((a)) ((b??x)) ((a))')).toEqual([
      { name: 'a', optional: false },
      { name: 'b', optional: true },
    ]);
  });
  it('refuses content with problems, each with its path', () => {
    const bad: TemplateContent = { ko: { sms: { body: '안내 😀 ((x y))' }, push: { title: 't', body: 'b' } }, en: { sms: { body: 'x' } } };
    const problems = checkTemplate({ category: 'transactional', content: bad });
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(['content.en.push', 'content.ko.sms', 'content.ko.sms.body']));
    expect(checkTemplate({ category: 'advertising', content: content() }).map((p) => p.path)).toContain('content.ko.sms.body');
    expect(checkTemplate({ category: 'transactional', content: content() })).toEqual([]);
  });
  it('renders, lists every missing placeholder, and leaves out optional text without a value', () => {
    expect(render(content(), 'ko', 'email', { name: '홍길동', benefit: '아동수당' }).body).toBe('홍길동님');
    expect(render(content(), 'ko', 'email', { name: '홍길동', benefit: '아동수당', note: 'y' }).body).toBe('홍길동님 - 메모 있음');
    try {
      render(content(), 'ko', 'sms', {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MissingPersonalisationError);
      expect((e as MissingPersonalisationError).missing).toEqual(['name', 'benefit']);
    }
    expect(render(content(), 'en', 'sms', { name: 'Kim', benefit: 'x'.repeat(100) }).smsKind).toBe('lms');
  });
  it('writes the Korean particle that fits the value after a placeholder, except in AlimTalk', () => {
    const body = '((a))을(를) ((b))이(가) ((c))은(는) ((d))(으)로 ((e))과(와) ((f))을(를)';
    const k: TemplateContent = { ko: { inbox: { title: 't', body }, alimtalk: { templateCode: 'T1', body } }, en: { inbox: { title: 't', body: 'x' } } };
    const values = { a: '기초연금', b: '부모급여', c: '출생신고', d: '서울', e: '주민센터', f: 'ID 123' };
    expect(render(k, 'ko', 'inbox', values).body).toBe('기초연금을 부모급여가 출생신고는 서울로 주민센터와 ID 123을(를)');
    expect(render(k, 'ko', 'inbox', { ...values, d: '집', a: '여권 (재발급)' }).body).toMatch(/^여권 \(재발급\)을 .* 집으로 /);
    expect(render(k, 'ko', 'alimtalk', values).body).toBe('기초연금을(를) 부모급여이(가) 출생신고은(는) 서울(으)로 주민센터과(와) ID 123을(를)');
  });
});

describe('the e-mail as sent', () => {
  it('is valid MIME an independent parser reads back: Korean subject and sender, UTF-8 body', async () => {
    const raw = composeMime({
      messageId: 'abc@hanaro.test',
      from: { name: '복지로 알림', address: 'no-reply@bokjiro.example.kr' },
      to: 'citizen@example.kr',
      replyTo: 'help@bokjiro.example.kr',
      subject: '[복지로] 아주 긴 제목이 여러 개의 인코딩된 단어로 나뉘어도 다시 붙어야 합니다 — 부모급여 결정 안내',
      body: '홍길동님,\n신청하신 부모급여가 지급 결정되었습니다.\n',
      lang: 'ko',
      date: new Date('2026-12-06T01:02:03Z'),
    });
    expect(raw.split('\r\n').every((l) => l.length <= 998)).toBe(true);
    const m = await simpleParser(raw);
    expect(m.subject).toBe('[복지로] 아주 긴 제목이 여러 개의 인코딩된 단어로 나뉘어도 다시 붙어야 합니다 — 부모급여 결정 안내');
    expect(m.from?.value[0]).toMatchObject({ name: '복지로 알림', address: 'no-reply@bokjiro.example.kr' });
    expect(m.messageId).toBe('<abc@hanaro.test>');
    expect(m.text).toBe('홍길동님,\n신청하신 부모급여가 지급 결정되었습니다.\n');
    expect(m.date?.toISOString()).toBe('2026-12-06T01:02:03.000Z');
    expect(encodeWords('plain')).toBe('plain');
  });
});
