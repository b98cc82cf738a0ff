import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpPool, SmtpError } from './smtp-client.ts';
import { createThreadedSmtpPool } from './smtp-thread.ts';

let key: Buffer;
let cert: Buffer;
beforeAll(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'smtp-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem')], { stdio: 'ignore' });
  key = readFileSync(path.join(dir, 'k.pem'));
  cert = readFileSync(path.join(dir, 'c.pem'));
});

const servers: SMTPServer[] = [];
afterAll(async () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))));

async function server(opts: Partial<SMTPServerOptions>) {
  const got: Array<{ from: string; to: string[]; raw: string; secure: boolean; user?: string }> = [];
  const s = new SMTPServer({
    logger: false,
    authOptional: true,
    ...opts,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString(), secure: session.secure, user: session.user as string | undefined });
        cb(null, 'queued as X1');
      });
    },
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return { port: (s.server.address() as { port: number }).port, got };
}

const raw = (n: number) => `Subject: m${n}\r\n\r\nline one\r\n.starts with a dot\r\nend`;

describe('the e-mail lane\'s SMTP client against a real SMTP server', () => {
  it('pipelines many messages over few connections, dot-stuffing the content', async () => {
    const s = await server({ disabledCommands: ['STARTTLS', 'AUTH'] });
    const pool = createSmtpPool({ url: `smtp://127.0.0.1:${s.port}`, connections: 2 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.send({ from: 'a@hanaro.test', to: [`r${i}@example.kr`], raw: raw(i) })));
    expect(results.every((r) => r.response.startsWith('250'))).toBe(true);
    expect(s.got).toHaveLength(50);
    const m7 = s.got.find((g) => g.to[0] === 'r7@example.kr')!;
    expect(m7.raw).toBe('Subject: m7\r\n\r\nline one\r\n.starts with a dot\r\nend\r\n');
    await pool.close();
  });

  it('works one command at a time with a server that does not pipeline, and reports a refused recipient among several', async () => {
    const s = await server({
      disabledCommands: ['STARTTLS', 'AUTH'],
      hidePIPELINING: true,
      onRcptTo(addr, _s, cb) {
        if (addr.address === 'gone@example.kr') return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
        cb();
      },
    });
    const pool = createSmtpPool({ url: `smtp://127.0.0.1:${s.port}`, connections: 1 });
    const r = await pool.send({ from: 'a@hanaro.test', to: ['ok@example.kr', 'gone@example.kr'], raw: raw(1) });
    expect(r.rejected).toEqual(['gone@example.kr']);
    await expect(pool.send({ from: 'a@hanaro.test', to: ['gone@example.kr'], raw: raw(2) })).rejects.toMatchObject({ code: 'EENVELOPE', responseCode: 550 });
    // the connection is still usable after the refusal (RSET)
    expect((await pool.send({ from: 'a@hanaro.test', to: ['ok@example.kr'], raw: raw(3) })).response).toMatch(/^250/);
    expect(s.got.map((g) => g.to)).toEqual([['ok@example.kr'], ['ok@example.kr']]);
    await pool.close();
  });

  it('upgrades with STARTTLS before authenticating (AUTH PLAIN), and refuses wrong credentials as EAUTH', async () => {
    const s = await server({
      key,
      cert,
      authMethods: ['PLAIN'],
      authOptional: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'relay' && auth.password === 's3cret:pw') return cb(null, { user: 'relay' });
        cb(new Error('Invalid username or password'));
      },
    });
    const tls = { rejectUnauthorized: false };
    const pool = createSmtpPool({ url: `smtp://relay:${encodeURIComponent('s3cret:pw')}@localhost:${s.port}`, connections: 1, tls });
    await pool.send({ from: 'a@hanaro.test', to: ['r@example.kr'], raw: raw(1) });
    expect(s.got[0]).toMatchObject({ secure: true, user: 'relay' });
    await pool.close();
    const wrong = createSmtpPool({ url: `smtp://relay:nope@localhost:${s.port}`, connections: 1, tls });
    const e = await wrong.send({ from: 'a@hanaro.test', to: ['r@example.kr'], raw: raw(2) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SmtpError);
    expect((e as SmtpError).code).toBe('EAUTH');
    await wrong.close();
  });

  it('refuses to send to a remote server that offers no TLS, and reports an unreachable one as ECONNECTION', async () => {
    const s = await server({ disabledCommands: ['STARTTLS', 'AUTH'] });
    const strict = createSmtpPool({ url: `smtp://127.0.0.1:${s.port}`, connections: 1, requireTls: true });
    await expect(strict.send({ from: 'a@hanaro.test', to: ['r@example.kr'], raw: raw(1) })).rejects.toMatchObject({ code: 'ECONNECTION' });
    await strict.close();
    const nowhere = createSmtpPool({ url: 'smtp://127.0.0.1:1', connections: 1 });
    await expect(nowhere.send({ from: 'a@hanaro.test', to: ['r@example.kr'], raw: raw(1) })).rejects.toMatchObject({ code: 'ECONNECTION' });
    await nowhere.close();
  });
});

describe('the same pool on a thread of its own (smtp-thread.ts)', () => {
  it('delivers what it is given, reports each refusal as the SmtpError the server caused, and refuses sends once closed', async () => {
    const s = await server({
      disabledCommands: ['STARTTLS', 'AUTH'],
      onRcptTo(addr, _s, cb) {
        if (addr.address === 'gone@example.kr') return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
        cb();
      },
    });
    const pool = createThreadedSmtpPool({ url: `smtp://127.0.0.1:${s.port}`, connections: 3 });
    const sends = Array.from({ length: 60 }, (_, i) => pool.send({ from: 'a@hanaro.test', to: [i % 20 === 7 ? 'gone@example.kr' : `r${i}@example.kr`], raw: raw(i) }).catch((e: unknown) => e));
    const results = await Promise.all(sends);
    const refused = results.filter((r) => r instanceof SmtpError) as SmtpError[];
    expect(refused).toHaveLength(3);
    expect(refused.every((e) => e.code === 'EENVELOPE' && e.responseCode === 550)).toBe(true);
    expect(s.got).toHaveLength(57);
    expect(s.got.find((g) => g.to[0] === 'r8@example.kr')!.raw).toBe('Subject: m8\r\n\r\nline one\r\n.starts with a dot\r\nend\r\n');
    await pool.close();
    await expect(pool.send({ from: 'a@hanaro.test', to: ['r@example.kr'], raw: raw(99) })).rejects.toMatchObject({ code: 'ECONNECTION' });
    expect(s.got).toHaveLength(57);
  });

  it('reports an unreachable server as ECONNECTION', async () => {
    const nowhere = createThreadedSmtpPool({ url: 'smtp://127.0.0.1:1', connections: 1 });
    await expect(nowhere.send({ from: 'a@hanaro.test', to: ['r@example.kr'], raw: raw(1) })).rejects.toMatchObject({ code: 'ECONNECTION', name: 'SmtpError' });
    await nowhere.close();
  });
});
