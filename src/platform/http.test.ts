import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../app.ts';
import { ConflictError } from './errors.ts';
import type { HanaroModule } from './module.ts';
import { testApp, testPlatform } from './testing.ts';

/** A stand-in module with the kinds of route real modules have. */
const probe: HanaroModule = {
  name: 'probe',
  async plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/probe/items',
      { schema: { body: z.object({ name: z.string().min(1).max(50), count: z.number().int().min(0) }) } },
      async (req, reply) => reply.status(201).send({ name: req.body.name, count: req.body.count }),
    );
    r.get('/api/probe/boom', async () => {
      throw new Error('connection to 10.0.0.7 failed for user hanaro_admin');
    });
    r.get('/api/probe/conflict', async () => {
      throw new ConflictError('the application was already submitted', 'already_submitted');
    });
    r.post('/probe/form', async (req) => ({ got: req.body }));
    r.get('/api/probe/items/:id', async (req) => ({ id: (req.params as { id: string }).id }));
  },
};

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp({ modules: [probe], env: { HANARO_BODY_LIMIT: '2048', HANARO_RATE_LIMIT: '1000' } });
});
afterAll(() => t.close());

const json = { 'content-type': 'application/json', accept: 'application/json' };

describe('operations endpoints', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('serves Prometheus metrics that count requests by route template', async () => {
    await t.app.inject('/healthz');
    const res = await t.app.inject('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/hanaro_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(res.body).toContain('hanaro_process_resident_memory_bytes');
  });

  it('/metrics needs the bearer token when one is set', async () => {
    const guarded = await testApp({ env: { HANARO_METRICS_TOKEN: 'scrape-token-0123456789' } });
    try {
      const none = await guarded.app.inject('/metrics');
      expect(none.statusCode).toBe(401);
      expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
      const wrong = await guarded.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456788' } });
      expect(wrong.statusCode).toBe(401);
      const right = await guarded.app.inject({ url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456789' } });
      expect(right.statusCode).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it('generates OpenAPI from the route schemas', async () => {
    const res = await t.app.inject('/openapi.json');
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/readyz'].get.responses['503']).toBeDefined();
    expect(doc.paths['/api/probe/items'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'count']);
    expect((await t.app.inject('/docs/')).statusCode).toBe(200);
  });
});

describe('bad input gets a problem+json 4xx', () => {
  it('accepts a valid body', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/probe/items', headers: json, payload: { name: '전입신고', count: 1 } });
    expect(res.statusCode).toBe(201);
  });

  it('unknown route: 404 problem for API clients, an HTML page for browsers', async () => {
    const api = await t.app.inject({ url: '/api/nothing-here', headers: { accept: 'application/json' } });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(api.json()).toMatchObject({ status: 404, code: 'not_found', type: 'urn:hanaro:problem:not_found', instance: '/api/nothing-here' });
    const page = await t.app.inject({ url: '/nothing-here', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toMatch(/<html lang="ko"/);
  });

  it('a path parameter over the router\'s limit: a 4xx problem, not Fastify\'s own body', async () => {
    expect((await t.app.inject({ url: `/api/probe/items/${'x'.repeat(150)}` })).statusCode).toBe(200);
    const res = await t.app.inject({ url: `/api/probe/items/${'x'.repeat(300)}` });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: res.statusCode, type: expect.stringMatching(/^urn:hanaro:problem:/) });
  });

  it('malformed JSON: 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/probe/items', headers: json, payload: '{"name": "x",' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('malformed_json');
  });

  it('schema violations: 400 naming each field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/probe/items', headers: json, payload: { name: '', count: -1 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body/count', 'body/name']);
  });

  it('a NUL character anywhere in the input: 400 naming the field, before any handler runs', async () => {
    const body = await t.app.inject({ method: 'POST', url: '/api/probe/items', headers: json, payload: JSON.stringify({ name: 'a\u0000b', count: 1 }) });
    expect(body.statusCode).toBe(400);
    expect(body.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(body.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body/name' }] });
    const query = await t.app.inject({ url: '/api/probe/items/x?q=%00', headers: json });
    expect(query.statusCode).toBe(400);
    expect(query.json().errors[0].path).toBe('querystring/q');
    const form = await t.app.inject({ method: 'POST', url: '/probe/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=%00' });
    expect(form.statusCode).toBeGreaterThanOrEqual(400);
    expect(form.statusCode).toBeLessThan(500);
  });

  it('body over the limit: 413', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/probe/items', headers: json, payload: JSON.stringify({ name: 'x'.repeat(5000), count: 1 }) });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('payload_too_large');
  });

  it('wrong content type: 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/probe/items', headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(res.statusCode).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('a PlatformError keeps its code, status and detail', async () => {
    const res = await t.app.inject({ url: '/api/probe/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'already_submitted', detail: 'the application was already submitted' });
  });

  it('an unexpected error is a 500 without the internal message or a stack trace', async () => {
    const res = await t.app.inject({ url: '/api/probe/boom', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('internal_error');
    expect(res.body).not.toContain('10.0.0.7');
    expect(res.body).not.toContain('hanaro_admin');
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a form post without a CSRF token: 403', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/probe/form', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, payload: 'a=1' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('csrf_invalid');
    // an <form enctype="text/plain"> on another site is the same attack
    const plain = await t.app.inject({ method: 'POST', url: '/probe/form', headers: { 'content-type': 'text/plain', accept: 'application/json' }, payload: 'a=1' });
    expect(plain.statusCode).toBe(403);
  });

  it('problem titles follow the language the client asks for', async () => {
    const en = await t.app.inject({ url: '/api/nothing', headers: { accept: 'application/json', 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().title).toBe('The page or resource was not found');
    const ko = await t.app.inject({ url: '/api/nothing', headers: { accept: 'application/json' } });
    expect(ko.json().title).toBe('요청하신 페이지나 자원을 찾을 수 없습니다');
  });
});

describe('request ids and security headers', () => {
  it('keeps a well-formed X-Request-Id and replaces a malformed one', async () => {
    const kept = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'gw-1234-abcd' } });
    expect(kept.headers['x-request-id']).toBe('gw-1234-abcd');
    const replaced = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\n' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends a CSP with a fresh nonce per request and forbids framing; no HSTS in demo mode', async () => {
    const a = await t.app.inject('/');
    const b = await t.app.inject('/');
    const nonce = (h: unknown) => String(h).match(/script-src 'self' 'nonce-([^']+)'/)?.[1];
    expect(nonce(a.headers['content-security-policy'])).toBeTruthy();
    expect(nonce(a.headers['content-security-policy'])).not.toBe(nonce(b.headers['content-security-policy']));
    expect(a.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    expect(a.headers['strict-transport-security']).toBeUndefined();
    // answers that are not documents may run nothing at all
    const api = await t.app.inject('/healthz');
    expect(api.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(api.headers['x-frame-options']).toBe('DENY');
  });

  it('production mode adds HSTS', async () => {
    const platform = await testPlatform({
      env: {
        HANARO_MODE: 'production',
        DATABASE_URL: 'postgres://unused/db',
        HANARO_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
        HANARO_COOKIE_SECRET: 'x'.repeat(40),
        HANARO_PUBLIC_URL: 'https://hanaro.example.kr',
      },
    });
    const app = await buildApp(platform, { modules: [] });
    try {
      const res = await app.inject('/healthz');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+; includeSubDomains/);
      // no metrics token configured: /metrics does not exist in production
      expect((await app.inject('/metrics')).statusCode).toBe(404);
    } finally {
      await app.close();
      await platform.dispose();
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 past the limit, but never limits health probes', async () => {
    const small = await testApp({ modules: [probe], env: { HANARO_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await small.app.inject({ url: '/api/probe/conflict' })).statusCode);
      expect(codes).toEqual([409, 409, 409, 429]);
      const limited = await small.app.inject({ url: '/api/probe/conflict', headers: { accept: 'application/json' } });
      expect(limited.json().code).toBe('rate_limited');
      expect(limited.headers['retry-after']).toBeDefined();
      for (let i = 0; i < 5; i++) expect((await small.app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await small.close();
    }
  });
});
