import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrub } from './log.ts';

/** A logger writing into an array of lines. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger('trace', stream);
  return { log, lines, text: () => lines.join('\n') };
}

const JWT = 'eyJhbGciOiJFUzI1NiIsImtpZCI6IngifQ.eyJzdWIiOiIxMjMiLCJuYW1lIjoi7ZmN6ri464-ZIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const SECRETS = {
  rrnHyphen: '900101-1234567',
  rrnPlain: '9001011234567',
  phone: '010-1234-5678',
  email: 'hong.gildong@example.kr',
  bearer: 'Bearer abc123.DEF-456_ghi',
  jwt: JWT,
};
const PIECES = ['900101-1234567', '9001011234567', '1234567', '010-1234-5678', '1234-5678', 'hong.gildong', 'abc123.DEF-456_ghi', 'eyJhbGciOiJFUzI1NiIsImtpZCI6IngifQ', 'c2lnbmF0dXJlLXNpZ25hdHVyZQ'];

function expectClean(out: string) {
  for (const p of PIECES) expect(out, p).not.toContain(p);
}

const sentence = `citizen ${SECRETS.rrnHyphen} / ${SECRETS.rrnPlain} called from ${SECRETS.phone}, mail ${SECRETS.email}, sent ${SECRETS.bearer} and ${SECRETS.jwt}`;

describe('log redaction', () => {
  it('scrubs personal data and tokens from the message', () => {
    const c = capture();
    c.log.info(sentence);
    c.log.info('format %s and %j', sentence, { nested: sentence });
    expect(c.lines).toHaveLength(2);
    expectClean(c.text());
    expect(c.text()).toContain('[RRN]');
    expect(c.text()).toContain('[PHONE]');
    expect(c.text()).toContain('[EMAIL]');
    expect(c.text()).toContain('[JWT]');
    expect(c.text()).toContain('Bearer [REDACTED]');
  });

  it('scrubs nested fields, arrays and child bindings', () => {
    const c = capture();
    c.log.info({ a: { b: { c: { d: sentence } } }, list: [sentence, { x: sentence }] }, 'nested');
    c.log.child({ citizen: SECRETS.rrnHyphen, contact: { email: SECRETS.email } }).warn('child');
    // Fastify makes request loggers with options; grandchildren inherit the hook
    c.log.child({ reqId: 'req-1' }, { level: 'info' }).child({ token: 'tk-grandchild', phone: SECRETS.phone }).info('grandchild');
    const deep: Record<string, unknown> = { v: sentence };
    let o = deep;
    for (let i = 0; i < 20; i++) o = (o.next = { v: sentence }) as Record<string, unknown>;
    c.log.info({ deep }, 'deep');
    expectClean(c.text());
    expect(c.text()).not.toContain('tk-grandchild');
    expect(JSON.parse(c.lines[2]!)).toMatchObject({ reqId: 'req-1', token: '[REDACTED]', phone: '[PHONE]', msg: 'grandchild' });
  });

  it('scrubs error messages, stacks, causes and own fields', () => {
    const c = capture();
    const err = Object.assign(new Error(`lookup failed for ${sentence}`, { cause: new Error(`cause ${SECRETS.rrnPlain}`) }), {
      code: 'E_LOOKUP',
      detail: sentence,
    });
    c.log.error(err);
    c.log.error({ err }, 'with message');
    c.log.error({ err });
    c.log.warn({ ctx: { failure: err } }, 'nested error');
    expectClean(c.text());
    const first = JSON.parse(c.lines[0]!);
    expect(first.msg).toContain('lookup failed for citizen [RRN]');
    expect(first.err).toMatchObject({ type: 'Error', code: 'E_LOOKUP' });
    expect(first.err.cause.message).toBe('cause [RRN]');
  });

  it('redacts authorization, cookie and secret-named fields at any depth', () => {
    const c = capture();
    c.log.info({ headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'sid=s3cr3tcookie' } }, 'headers');
    c.log.info({ req: { headers: { authorization: 'Basic dXNlcjpwYXNz', cookie: 'sid=s3cr3tcookie' } } }, 'req');
    c.log.info({ password: 'hunter2hunter2', body: { client_secret: 'cs-0000', deep: { token: 'tk-0000', RRN: 'x' } } }, 'secrets');
    const out = c.text();
    for (const s of ['dXNlcjpwYXNz', 's3cr3tcookie', 'hunter2hunter2', 'cs-0000', 'tk-0000']) expect(out).not.toContain(s);
    expect(JSON.parse(c.lines[0]!).headers).toEqual({ authorization: '[REDACTED]', cookie: '[REDACTED]' });
  });

  it('keeps ordinary text, numbers and masked values', () => {
    const c = capture();
    const ordinary = '민원 접수 완료: application 42 for 홍*동 (900101-1******, 010-****-5678, h***@example.kr) took 12.5 ms at 1764061200000';
    c.log.info({ count: 3, status: 'ok', when: '2026-01-12T09:30:00Z', id: '3f2b8c1e-0a4d-4c3e-9f1a-2b3c4d5e6f70' }, ordinary);
    const line = JSON.parse(c.lines[0]!);
    expect(line.msg).toBe(ordinary);
    expect(line).toMatchObject({ count: 3, status: 'ok', when: '2026-01-12T09:30:00Z', id: '3f2b8c1e-0a4d-4c3e-9f1a-2b3c4d5e6f70' });
  });

  it('scrub() finds the usual spellings', () => {
    expect(scrub('rrn_9001011234567')).toBe('rrn_[RRN]');
    expect(scrub('주민번호 900101 1234567입니다')).toBe('주민번호 [RRN]입니다');
    expect(scrub('tel +82 10-1234-5678, 02-123-4567, (031) 123-4567, 01012345678')).toBe('tel [PHONE], [PHONE], ([PHONE], [PHONE]');
    expect(scrub('홍길동@example.kr')).toBe('[EMAIL]');
    expect(scrub(`vc ${JWT}~WyJzYWx0IiwibmFtZSIsIu2Zjeq4uOuPmSJd~`)).toBe('vc [JWT]');
    expect(scrub('Authorization: DPoP abc.def')).toBe('Authorization: DPoP [REDACTED]');
  });
});
