import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestPlatform } from '../../platform/testing.ts';
import { exchangeModule } from '../exchange/index.ts';
import { identityModule } from '../identity/index.ts';
import { notifyModule } from '../notify/index.ts';
import { registriesModule } from '../registries/index.ts';
import { servicesModule } from '../services/index.ts';
import { assistantModule } from './index.ts';

// The optional LLM, against a fake OpenAI-compatible server: it phrases explanations and service
// lists from the retrieved entries only (they are what it is sent), the citations stay, the
// engine's eligibility verdicts are never sent to it, and when it fails the assistant's own
// reply stands.

let app: FastifyInstance;
let t: TestPlatform;
let close: () => Promise<void>;
let fake: Server;
const seen: Array<{ path: string; auth?: string; body: { model: string; messages: Array<{ role: string; content: string }> } }> = [];
let failNext = false;

beforeAll(async () => {
  fake = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw) });
      if (failNext) {
        failNext = false;
        res.writeHead(500).end('{"error":"boom"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: '부모급여는 만 0세 아이에게 월 100만 원을 드립니다 [1].' } }] }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  const port = (fake.address() as AddressInfo).port;
  ({ app, platform: t, close } = await testApp({ modules: [registriesModule, exchangeModule, identityModule, notifyModule, servicesModule, assistantModule], env: { ASSISTANT_LLM_URL: `http://127.0.0.1:${port}/v1`, ASSISTANT_LLM_KEY: 'test-key-123' } }));
}, 120_000);
afterAll(async () => {
  await close?.();
  await new Promise((r) => fake.close(r));
});

const ask = (text: string) => app.inject({ method: 'POST', url: '/api/assistant/messages', payload: { text } });

describe('optional LLM', () => {
  it('phrases an explanation from the retrieved entries only, keeping the citations', async () => {
    const r = await ask('부모급여 얼마예요?');
    expect(r.json().reply).toBe('부모급여는 만 0세 아이에게 월 100만 원을 드립니다 [1].');
    expect(r.json().sources[0]).toMatchObject({ id: 'parental-benefit', url: '/services/parental-benefit' });
    const sent = seen.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.auth).toBe('Bearer test-key-123');
    expect(sent.body.model).toBe('gpt-4o-mini');
    expect(sent.body.messages[0]!.content).toContain('Use ONLY the numbered catalogue entries');
    expect(sent.body.messages[1]!.content).toContain('[1] 부모급여');
    expect(t.config.assistant.llmUrl).toContain('/v1');
  });

  it('never sends an eligibility check, and keeps its own reply when the model fails', async () => {
    const before = seen.length;
    const check = await ask('기초연금 받을 수 있나요?');
    expect(check.json().intent).toBe('check_eligibility');
    expect(seen.length).toBe(before);
    failNext = true;
    const r = await ask('여권 발급 서류 뭐예요?');
    expect(seen.length).toBe(before + 1);
    expect(r.json().reply).toContain('여권');
    expect(r.json().reply).not.toContain('[1]');
  });
});
