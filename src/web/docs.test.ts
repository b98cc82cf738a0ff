import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { HanaroModule } from '../platform/module.ts';
import { testApp } from '../platform/testing.ts';
import { SAMPLE_SPEC } from './docs.tsx';
import { apiReference, formatBytes, prettyJson, typeLabel } from './openapi-model.ts';

const Item = z.object({
  name: z.string().min(1).max(50).describe('Display name'),
  count: z.number().int().min(0).describe('How many </code></pre><script>alert(1)</script> & "so on"'),
});

/** A stand-in module with the kinds of documented route real modules will have. */
const catalogue: HanaroModule = {
  name: 'catalogue',
  async plugin(app: FastifyInstance) {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.post(
      '/api/catalogue/items',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Create an item',
          body: Item,
          response: { 201: Item.describe('The item as stored'), 409: z.object({ code: z.string() }) },
        },
      },
      async (req, reply) => reply.status(201).send(req.body),
    );
    r.get(
      '/api/catalogue/items/:id',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Read <script>alert("x")</script> & more',
          description: 'Quotes " and <b>tags</b> stay text.',
          params: z.object({ id: z.string().uuid().describe('The item id') }),
          querystring: z.object({ fields: z.enum(['all', 'short']).default('all').describe('Which fields to return') }),
          response: { 200: Item, 404: z.object({ code: z.string() }) },
        },
      },
      async () => ({ name: 'x', count: 1 }),
    );
    r.get('/api/catalogue/secret-admin-route', { schema: { hide: true } }, async () => ({}));
    r.put('/api/catalogue/untagged', { schema: { body: z.object({ flag: z.boolean() }) } }, async () => ({}));
  },
};

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp({ modules: [catalogue], env: { HANARO_PUBLIC_URL: 'https://gov.example' } });
});
afterAll(() => t.close());

const html = { accept: 'text/html,application/xhtml+xml' };
const get = (url: string) => t.app.inject({ url, headers: html });
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
const ids = (body: string) => [...body.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);

describe('/docs', () => {
  it('is a Korean page of the portal, without scripts', async () => {
    const res = await get('/docs');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-language']).toBe('ko');
    const body = res.body;
    expect(body.startsWith('<!doctype html>')).toBe(true);
    expect(body).toMatch(/<html lang="ko"/);
    expect(count(body, /<h1[\s>]/g)).toBe(1);
    expect(body).toContain('<h1 class="hn-title">API 문서</h1>');
    expect(body).toContain('<title>API 문서 | 하나로</title>');
    expect(body).toMatch(/<link rel="stylesheet" href="\/static\/hanaro\.[0-9a-f]{16}\.css"/);
    expect(body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    // the menu marks it as the current page
    expect(body).toContain('aria-current="page">API 문서</a>');
  });

  it('lists every documented operation with method, path, parameters and responses (ko)', async () => {
    const { body } = await get('/docs');
    expect(body).toContain('<code>https://gov.example</code>');
    for (const [method, path] of [
      ['GET', '/healthz'],
      ['GET', '/readyz'],
      ['POST', '/api/catalogue/items'],
      ['GET', '/api/catalogue/items/{id}'],
      ['PUT', '/api/catalogue/untagged'],
    ] as const) {
      expect(body).toMatch(new RegExp(`<span class="krds-badge hn-method [^"]+">${method}</span> <code class="hn-path">${path.replace(/[{}]/g, '\\$&')}</code>`));
    }
    // groups by tag, untagged operations under "기타"
    expect(body).toMatch(/<h2 id="tag-operations">operations<\/h2>/);
    expect(body).toMatch(/<h2 id="tag-catalogue">catalogue<\/h2>/);
    expect(body).toMatch(/<h2 id="tag-other">기타<\/h2>/);
    // parameters: an accessible table with caption and header scopes
    expect(body).toContain('<caption>GET /api/catalogue/items/{id}의 매개변수</caption>');
    expect(body).toContain('<th scope="col">이름</th>');
    // (where it goes and whether it is required are also written under the name, shown instead of those columns on phones)
    expect(body).toMatch(
      /<th scope="row"><code>id<\/code><span class="hn-field-meta">위치: 경로 · 필수<\/span><\/th><td class="hn-col-meta">경로<\/td><td class="hn-col-meta">필수<\/td><td><code>string \(uuid\)<\/code><\/td><td>The item id<\/td>/,
    );
    expect(body).toMatch(/<th scope="row"><code>fields<\/code>.*?<td class="hn-col-meta">쿼리<\/td><td class="hn-col-meta">선택<\/td><td><code>&quot;all&quot; \| &quot;short&quot;<\/code>/);
    // request body fields and schema
    expect(body).toContain('<caption>POST /api/catalogue/items 요청 본문의 항목</caption>');
    expect(body).toMatch(/<th scope="row"><code>name<\/code><span class="hn-field-meta">필수<\/span><\/th><td class="hn-col-meta">필수<\/td><td><code>string<\/code><ul class="hn-constraints"><li>최소 길이 <code>1<\/code><\/li><li>최대 길이 <code>50<\/code>/);
    expect(body).toContain('요청 본문의 JSON 스키마 (application/json)');
    // responses: status code, reason, description, schema
    expect(body).toContain('<dt><code>201</code> Created</dt>');
    expect(body).toContain('<p>The item as stored</p>');
    expect(body).toContain('<dt><code>409</code> Conflict</dt>');
    expect(body).toContain('<dt><code>503</code> Service Unavailable</dt>');
    // pretty-printed, with what fits on a line kept on one line
    expect(body).toMatch(/<pre class="hn-code"><code>\{\n {2}"type": "object",\n {2}"properties": \{\n {4}"name": \{\n {6}"type": "string",/);
    expect(body).toContain('\n  "properties": { "code": { "type": "string" } },\n  "required": ["code"],\n');
    // zod's ±MAX_SAFE_INTEGER integer bounds are noise and left out
    expect(body).not.toContain('9007199254740991');
    // the placeholder @fastify/swagger writes for undescribed responses is not shown
    expect(body).not.toContain('Default Response');
    // the way out to the machine-readable description and the explorer
    expect(body).toContain('href="/openapi.json" download="hanaro-openapi.json"');
    expect(body).toContain('href="/docs/explorer"');
    expect(body).toContain('대화형 탐색기 (자바스크립트 필요)');
    // the conventions are summarised on the page
    expect(body).toContain('id="docs-conventions"');
    expect(body).toContain('application/problem+json');
    expect(body).toContain('<code>validation_failed</code>');
    expect(body).toContain('요청 본문의 크기 한도는 1 MiB입니다');
  });

  it('is English with ?lang=en', async () => {
    const res = await get('/docs?lang=en');
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(body).toMatch(/<html lang="en"/);
    expect(count(body, /<h1[\s>]/g)).toBe(1);
    expect(body).toContain('<h1 class="hn-title">API documentation</h1>');
    expect(body).toContain('<caption>Parameters of GET /api/catalogue/items/{id}</caption>');
    expect(body).toContain('<th scope="col" class="hn-col-meta">Required</th>');
    expect(body).toMatch(/<th scope="row"><code>id<\/code><span class="hn-field-meta">In path · Required<\/span><\/th><td class="hn-col-meta">path<\/td><td class="hn-col-meta">Required<\/td>/);
    expect(body).toMatch(/<h2 id="tag-other">Other<\/h2>/);
    expect(body).toContain('Interactive explorer (needs JavaScript)');
    expect(body).toContain('Some input is not valid');
    expect(body).toContain('href="/docs?lang=ko"');
    expect(body).not.toMatch(/요청 본문|매개변수|기타/);
  });

  it('does not list hidden routes, nor the portal and explorer routes', async () => {
    const { body } = await get('/docs');
    expect(body).not.toContain('secret-admin-route');
    expect(body).not.toMatch(/<code class="hn-path">\/docs/);
    expect(body).not.toMatch(/<code class="hn-path">\/(openapi\.json|static|preferences|about)?</);
  });

  it('escapes what the routes say about themselves', async () => {
    const { body } = await get('/docs');
    // Preact escapes < & and " in text, which is what makes markup inert (a lone > is harmless)
    expect(body).toContain('Read &lt;script>alert(&quot;x&quot;)&lt;/script> &amp; more');
    expect(body).toContain('Quotes &quot; and &lt;b>tags&lt;/b> stay text.');
    // in schemas too, which are written as JSON text
    expect(body).toContain('"description": "How many &lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\"so on\\""');
    expect(body).toContain('<td>How many &lt;/code>&lt;/pre>&lt;script>alert(1)&lt;/script> &amp; &quot;so on&quot;</td>');
    expect(body).not.toMatch(/<script|<b>/);
  });

  it('gives each operation a valid, unique id, and every in-page link a target', async () => {
    const { body } = await get('/docs');
    const all = ids(body);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[^\s]+$/);
    expect(all).toEqual(expect.arrayContaining(['op-get-healthz', 'op-post-api-catalogue-items', 'op-get-api-catalogue-items-id', 'op-put-api-catalogue-untagged']));
    const targets = [...body.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) expect(all).toContain(target);
  });

  it('keeps what it uses in the stylesheet subset', async () => {
    const { body } = await get('/docs');
    const href = body.match(/<link rel="stylesheet" href="([^"]+)"/)?.[1];
    const css = (await t.app.inject(href!)).body;
    for (const selector of [
      '.hn-op-title',
      '.hn-method',
      '.hn-responses',
      '.hn-disclosure',
      '.hn-field-meta',
      '.hn-col-meta',
      '.krds-table-wrap .tbl.data thead th',
      '.krds-disclosure .btn-conts-expand::before',
      '.krds-badge.bg-light-primary',
      '.krds-badge.bg-light-success',
      '.krds-badge.bg-light-warning',
      '.krds-badge.bg-light-point',
      '.krds-badge.bg-light-danger',
      '.krds-badge.bg-light-gray',
      '.krds-info-list.decimal',
    ]) {
      expect(css, selector).toContain(selector);
    }
    // KRDS's disclosure icon is served from here, not from krds.go.kr
    expect(css).toMatch(/ico_expand\.[0-9a-f]+\.svg/);
  });

  it('is computed once per app and still answers after', async () => {
    const first = await get('/docs?lang=en');
    const second = await get('/docs?lang=en');
    expect(second.body).toBe(first.body);
  });
});

describe('/docs/explorer (Swagger UI)', () => {
  it('still serves Swagger UI, pointed at the spec', async () => {
    const res = await get('/docs/explorer');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<div id="swagger-ui"></div>');
    expect(res.body).toContain('/docs/explorer/static/swagger-ui-bundle.js');
    // style attributes are allowed here, and only here
    expect(String(res.headers['content-security-policy'])).toContain("style-src-attr 'unsafe-inline'");
    expect(String((await get('/docs')).headers['content-security-policy'])).not.toContain('unsafe-inline');

    const init = await t.app.inject('/docs/explorer/static/swagger-initializer.js');
    expect(init.statusCode).toBe(200);
    const bundle = await t.app.inject({ url: '/docs/explorer/static/swagger-ui-bundle.js', method: 'HEAD' });
    expect(bundle.statusCode).toBe(200);

    const spec = await t.app.inject('/docs/explorer/json');
    expect(spec.statusCode).toBe(200);
    expect(spec.json()).toMatchObject({ openapi: '3.1.0', paths: { '/api/catalogue/items': {} } });
  });
});

describe('apiReference', () => {
  it('keeps ids unique when paths differ only in punctuation, and valid for non-ASCII tags', () => {
    const ref = apiReference(
      {
        openapi: '3.1.0',
        info: { title: 'T', version: '1' },
        paths: {
          '/a-b': { get: { tags: ['민원 신청'], responses: {} } },
          '/a/b': { get: { tags: ['민원 신청'], responses: {} } },
          '/a.b': { get: { tags: ['other'], responses: {} } },
          '/c': { get: { responses: {} } },
        },
      },
      { baseUrl: 'http://x', bodyLimit: 1024 },
    );
    const opIds = ref.groups.flatMap((g) => g.operations.map((o) => o.id));
    expect(opIds).toEqual(['op-get-a-b', 'op-get-a-b-2', 'op-get-a-b-3', 'op-get-c']);
    const groupIds = ref.groups.map((g) => g.id);
    expect(groupIds).toEqual(['tag-민원-신청', 'tag-other', 'tag-other-2']);
    expect(ref.groups.map((g) => g.name)).toEqual(['민원 신청', 'other', undefined]);
  });

  it('reads an odd document without throwing', () => {
    expect(() => apiReference({ paths: { '/x': { get: { parameters: [null, { $ref: '#/components/parameters/P' }], responses: null } } } }, { baseUrl: '', bodyLimit: 1 })).not.toThrow();
    expect(apiReference(undefined, { baseUrl: '', bodyLimit: 1 }).operationCount).toBe(0);
  });

  it('links shared schemas and describes types in a word', () => {
    const ref = apiReference(SAMPLE_SPEC, { baseUrl: 'http://x', bodyLimit: 1 });
    expect(ref.schemas.map((s) => s.id)).toEqual(['schema-Item']);
    const get = ref.groups[0]!.operations[0]!;
    expect(get.responses[0]!.media[0]!.refs).toEqual([{ name: 'Item', id: 'schema-Item' }]);
    expect(typeLabel({ type: 'array', items: { $ref: '#/components/schemas/Item' } })).toBe('Item[]');
    expect(typeLabel({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toBe('string | null');
    expect(prettyJson({ a: [1, 2], b: { c: 'x'.repeat(80) } })).toBe(`{\n  "a": [1, 2],\n  "b": {\n    "c": "${'x'.repeat(80)}"\n  }\n}`);
    expect(prettyJson({ type: 'string', enum: ['a', 'b'] })).toBe('{ "type": "string", "enum": ["a", "b"] }');
    expect(prettyJson([])).toBe('[]');
    expect(formatBytes(1_048_576)).toBe('1 MiB');
    expect(formatBytes(2048)).toBe('2 KiB');
    expect(formatBytes(1000)).toBe('1000 B');
  });
});
