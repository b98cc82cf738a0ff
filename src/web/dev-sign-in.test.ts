import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlatform, DEMO_ACTOR_COOKIE } from '../platform/auth.ts';
import { httpPlatform } from '../platform/http.ts';
import type { HanaroModule } from '../platform/module.ts';
import type { Platform } from '../platform/platform.ts';
import { testApp, testConfig } from '../platform/testing.ts';
import { devSignInPlugin, renderSignIn, type SignInAgency } from './dev-sign-in.tsx';
import { samplePages } from './pages.tsx';

const AGENCIES: SignInAgency[] = [
  { code: 'MOIS', name: { ko: '행정안전부', en: 'Ministry of the Interior and Safety' } },
  { code: 'MOHW', name: { ko: '보건복지부', en: 'Ministry of Health and Welfare' } },
];

/** The sign-in with fixed agencies, and a way to ask who the platform thinks is calling. */
const signInModule: HanaroModule = {
  name: 'signin_test',
  async plugin(app, { platform }) {
    await app.register(devSignInPlugin, { platform, agencies: async () => AGENCIES, landing: (a) => `/landing/${a}` });
    app.get('/whoami', async (req) => req.actor());
  },
};

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp({ modules: [signInModule] });
});
afterAll(() => t.close());

const html = { accept: 'text/html' };

async function visit(cookie = '') {
  const res = await t.app.inject({ url: '/dev/sign-in', headers: { ...html, cookie } });
  const token = res.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
  const secret = res.cookies.find((c) => c.name === 'hanaro-csrf');
  return { res, token: token!, cookie: [cookie, secret ? `hanaro-csrf=${secret.value}` : ''].filter(Boolean).join('; ') };
}

function post(url: string, cookie: string, body: string) {
  return t.app.inject({ method: 'POST', url, headers: { ...html, cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
}

const demoCookie = (res: { cookies: Array<{ name: string; value: string }> }) => {
  const c = res.cookies.find((x) => x.name === DEMO_ACTOR_COOKIE);
  return c ? `${DEMO_ACTOR_COOKIE}=${c.value}` : undefined;
};

describe('/dev/sign-in (demo mode)', () => {
  it('offers the agencies and roles, and says it is only a stand-in', async () => {
    const { res, token } = await visit();
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(token).toBeTruthy();
    expect(res.body).toContain('<option value="MOIS">행정안전부 (MOIS)</option>');
    for (const role of ['case-worker', 'agency-admin', 'platform-admin', 'auditor']) expect(res.body).toContain(`value="${role}"`);
    expect(res.body).toContain('실제 공무원 인증이 아닙니다');
    const en = await t.app.inject({ url: '/dev/sign-in?lang=en', headers: html });
    expect(en.body).toContain('Ministry of Health and Welfare (MOHW)');
    expect(en.body).toContain('proves nothing about who you are');
  });

  it('signs in as the chosen official and goes to that agency', async () => {
    const v = await visit();
    const res = await post('/dev/sign-in', v.cookie, `_csrf=${encodeURIComponent(v.token)}&agency=MOHW&name=${encodeURIComponent('이복지')}&roles=agency-admin&roles=auditor`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/landing/MOHW');
    const cookie = demoCookie(res)!;
    expect(cookie).toBeDefined();
    const who = (await t.app.inject({ url: '/whoami', headers: { cookie } })).json();
    expect(who).toMatchObject({ kind: 'official', agency: 'MOHW', name: '이복지', roles: ['agency-admin', 'auditor'] });
    // the page then shows who is signed in, with a way out
    const page = await visit(cookie);
    expect(page.res.body).toContain('이복지');
    expect(page.res.body).toContain('action="/dev/sign-out"');
    const out = await post('/dev/sign-out', page.cookie, `_csrf=${encodeURIComponent(page.token)}`);
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/dev/sign-in');
    const cleared = out.cookies.find((c) => c.name === DEMO_ACTOR_COOKIE);
    expect(cleared?.value).toBe('');
  });

  it('shows the form again with what was wrong (400), and signs nobody in', async () => {
    const v = await visit();
    const noRole = await post('/dev/sign-in', v.cookie, `_csrf=${encodeURIComponent(v.token)}&agency=MOIS`);
    expect(noRole.statusCode).toBe(400);
    expect(noRole.body).toContain('<title>오류: 데모 로그인');
    expect(noRole.body).toContain('역할을 하나 이상 고르세요.');
    expect(demoCookie(noRole)).toBeUndefined();
    const unknown = await post('/dev/sign-in', v.cookie, `_csrf=${encodeURIComponent(v.token)}&agency=NIA&roles=auditor`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('기관을 고르세요.');
    const madeUpRole = await post('/dev/sign-in', v.cookie, `_csrf=${encodeURIComponent(v.token)}&agency=MOIS&roles=emperor`);
    expect(madeUpRole.statusCode).toBe(400);
    expect(demoCookie(madeUpRole)).toBeUndefined();
  });

  it('refuses a post without the form token (403) or with another body type (415)', async () => {
    const v = await visit();
    const res = await post('/dev/sign-in', v.cookie, 'agency=MOIS&roles=platform-admin');
    expect(res.statusCode).toBe(403);
    expect(demoCookie(res)).toBeUndefined();
    const json = await t.app.inject({ method: 'POST', url: '/dev/sign-in', headers: { cookie: v.cookie, 'content-type': 'application/json' }, payload: { agency: 'MOIS', roles: 'platform-admin' } });
    expect(json.statusCode).toBe(415);
    expect(demoCookie(json)).toBeUndefined();
  });
});

describe('/dev/sign-in (production mode)', () => {
  it('does not exist', async () => {
    const config = await testConfig({
      HANARO_MODE: 'production',
      DATABASE_URL: 'postgres://x@127.0.0.1/x',
      HANARO_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      HANARO_COOKIE_SECRET: 'c'.repeat(40),
      HANARO_PUBLIC_URL: 'https://gov.example',
    });
    const app = Fastify();
    await app.register(httpPlatform, { config });
    await app.register(authPlatform, { config });
    await app.register(devSignInPlugin, { platform: { config } as Platform, agencies: async () => AGENCIES, landing: (a) => `/landing/${a}` });
    try {
      expect((await app.inject({ url: '/dev/sign-in', headers: html })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/dev/sign-in', payload: { agency: 'MOIS' } })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: '/dev/sign-out' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});

describe('styles', () => {
  it('uses only classes the stylesheet purge sees (the shell’s sample pages or a module template)', () => {
    // the purge reads rendered sample pages exactly and module templates word by word (shell.ts)
    const modules = fileURLToPath(new URL('../modules/', import.meta.url));
    const words = new Set<string>();
    for (const n of readdirSync(modules, { recursive: true, encoding: 'utf8' })) {
      if (n.endsWith('.tsx') && !n.endsWith('.test.tsx')) for (const w of readFileSync(path.join(modules, n), 'utf8').split(/[^\w-]+/)) words.add(w);
    }
    // classes, and input types (KRDS draws checkboxes for input[type=checkbox] only)
    const classesOf = (page: string) => [
      ...[...page.matchAll(/class="([^"]+)"/g)].flatMap((m) => m[1]!.split(/\s+/)),
      ...[...page.matchAll(/<input type="(\w+)"/g)].map((m) => m[1]!),
    ];
    for (const page of samplePages()) for (const c of classesOf(page)) words.add(c);
    const base = { url: '/dev/sign-in', contrast: 'normal' as const, demo: true, now: new Date(0), csrfToken: 'x', assets: { stylesheet: '/s.css', favicon: '/f.svg' } };
    const actor = { kind: 'official' as const, id: 'x', name: 'x', agency: 'MOIS', roles: ['auditor' as const] };
    const errors = [{ field: 'roles' as const, key: 'error_roles' as const }];
    const page = renderSignIn({ ...base, lang: 'ko' }, AGENCIES, actor, { roles: [], errors }) + renderSignIn({ ...base, lang: 'en' }, [], { kind: 'anonymous' }, { roles: [], errors: [] });
    const missing = [...new Set(classesOf(page))].filter((c) => !words.has(c));
    expect(missing).toEqual([]);
  });
});
