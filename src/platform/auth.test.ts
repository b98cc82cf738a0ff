import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlatform, requireOfficial, setDemoActor, type Actor } from './auth.ts';
import type { Config } from './config.ts';
import { httpPlatform } from './http.ts';
import { testConfig } from './testing.ts';

async function build(config: Config): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(httpPlatform, { config });
  await app.register(authPlatform, { config });
  app.post('/demo/as', async (req, reply) => {
    setDemoActor(reply, req.body as Actor);
    return { ok: true };
  });
  app.get('/whoami', async (req) => req.actor());
  app.get('/console/MOIS', async (req) => requireOfficial(req, { agency: 'MOIS', roles: ['agency-admin'] }));
  app.addActorResolver((req) => (req.headers['x-test-citizen'] ? { kind: 'citizen', id: String(req.headers['x-test-citizen']) } : undefined));
  return app;
}

const official = (agency: string, roles: string[]) => ({ kind: 'official', id: 'o-1', name: '김공무', agency, roles });

async function cookieFor(app: FastifyInstance, actor: unknown): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/demo/as', payload: actor as object });
  const c = res.cookies.find((x) => x.name === 'hanaro-demo-actor');
  if (!c) throw new Error('no cookie');
  return `hanaro-demo-actor=${c.value}`;
}

describe('actors', () => {
  let demo: FastifyInstance;
  let production: FastifyInstance;
  beforeAll(async () => {
    demo = await build(await testConfig());
    production = await build(await testConfig({ HANARO_MODE: 'production', DATABASE_URL: 'postgres://x@127.0.0.1/x', HANARO_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'), HANARO_COOKIE_SECRET: 'c'.repeat(40), HANARO_PUBLIC_URL: 'https://gov.example' }));
    expect(production.hasDecorator('addActorResolver')).toBe(true);
  });
  afterAll(async () => {
    await demo.close();
    await production.close();
  });

  it('is anonymous without a resolver that knows the request, and asks resolvers in order', async () => {
    expect((await demo.inject('/whoami')).json()).toEqual({ kind: 'anonymous' });
    expect((await demo.inject({ url: '/whoami', headers: { 'x-test-citizen': 'c-1' } })).json()).toEqual({ kind: 'citizen', id: 'c-1' });
  });

  it('lets an official of the agency with the role in, and refuses the wrong actor', async () => {
    const ok = await demo.inject({ url: '/console/MOIS', headers: { cookie: await cookieFor(demo, official('MOIS', ['agency-admin'])) } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ agency: 'MOIS' });
    const otherAgency = await demo.inject({ url: '/console/MOIS', headers: { cookie: await cookieFor(demo, official('NTS', ['agency-admin'])) } });
    expect(otherAgency.statusCode).toBe(403);
    const wrongRole = await demo.inject({ url: '/console/MOIS', headers: { cookie: await cookieFor(demo, official('MOIS', ['auditor'])) } });
    expect(wrongRole.statusCode).toBe(403);
    const admin = await demo.inject({ url: '/console/MOIS', headers: { cookie: await cookieFor(demo, official('NIA', ['platform-admin'])) } });
    expect(admin.statusCode).toBe(200);
    expect((await demo.inject({ url: '/console/MOIS', headers: { 'x-test-citizen': 'c-1' } })).statusCode).toBe(403);
    expect((await demo.inject('/console/MOIS')).statusCode).toBe(401);
  });

  it('ignores a demo cookie that was altered or is not an actor', async () => {
    const good = await cookieFor(demo, official('MOIS', ['agency-admin']));
    const forged = good.replace(/MOIS|%22MOIS%22/, 'NTS');
    expect((await demo.inject({ url: '/whoami', headers: { cookie: forged } })).json()).toEqual({ kind: 'anonymous' });
    const unsigned = `hanaro-demo-actor=${encodeURIComponent(JSON.stringify(official('MOIS', ['agency-admin'])))}`;
    expect((await demo.inject({ url: '/whoami', headers: { cookie: unsigned } })).json()).toEqual({ kind: 'anonymous' });
    const badRole = await cookieFor(demo, official('MOIS', ['emperor']));
    expect((await demo.inject({ url: '/whoami', headers: { cookie: badRole } })).json()).toEqual({ kind: 'anonymous' });
  });

  it('has no demo actors in production mode', async () => {
    const cookie = await cookieFor(production, official('MOIS', ['agency-admin']));
    const res = await production.inject({ url: '/console/MOIS', headers: { cookie } });
    expect(res.statusCode).toBe(401);
  });
});
