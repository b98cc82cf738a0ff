import { connect as netConnect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';

/**
 * A lean SMTP client pool (RFC 5321) for the e-mail lane: EHLO, STARTTLS (RFC 3207) or implicit
 * TLS (smtps://), AUTH PLAIN (RFC 4954), PIPELINING (RFC 2920: MAIL, RCPT and DATA in one write
 * when the server offers it), dot-stuffing, and a fixed number of reused connections.
 *
 * Why not nodemailer, the obvious library: measured on this machine (bench/notify.ts, docs/
 * benchmarks.md), nodemailer's pooled transport sending pre-built messages reaches 0.40 of what
 * the same SMTP server takes from a minimal client, so no worker built on it can reach the 0.5
 * the notifications issue asks; its per-message machinery (a MIME tree and stream pipeline even
 * for raw messages, four round trips without pipelining) is the cost. This client does only what
 * the lane needs and is tested against a real SMTP server (smtp-server) with and without
 * pipelining, STARTTLS and AUTH; the messages themselves are read back by mailparser.
 *
 * Errors carry nodemailer's codes (`ECONNECTION`, `ETIMEDOUT`, `EAUTH`, `EENVELOPE`, `EMESSAGE`,
 * `EPROTOCOL`) and the server's `responseCode`, so providers.ts classifies them the same way.
 */

export class SmtpError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly responseCode?: number,
  ) {
    super(message);
    this.name = 'SmtpError';
  }
}

export interface SmtpOptions {
  /** smtp://[user:password@]host[:port] (STARTTLS when offered) or smtps://… (TLS from the start). */
  url: string;
  connections: number;
  timeoutMs?: number;
  /** Name given in EHLO (default this host's). */
  name?: string;
  tls?: ConnectionOptions;
  /** Refuse to send credentials or mail without TLS (default: required unless the host is local). */
  requireTls?: boolean;
}

interface Job {
  from: string;
  to: string[];
  raw: string;
  resolve(r: { response: string; rejected: string[] }): void;
  reject(e: Error): void;
}

interface Reply {
  code: number;
  text: string;
}

const LOCAL = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;

/** The content as DATA carries it: CRLF line ends, a leading dot doubled, ending in CRLF. */
function stuff(raw: string): string {
  // composeMime's messages are CRLF already and start no line with a dot: nothing to rewrite
  const clean = raw.charCodeAt(0) !== 46 && !raw.includes('\n.') && !/(^|[^\r])\n/.test(raw);
  let body = clean ? raw : raw.replace(/\r?\n/g, '\r\n').replace(/(^|\r\n)\./g, '$1..');
  if (body && !body.endsWith('\r\n')) body += '\r\n';
  return body;
}

class Connection {
  private socket!: Socket | TLSSocket;
  private buf = '';
  private lines: string[] = [];
  private waiters: Array<{ resolve(r: Reply): void; reject(e: Error): void }> = [];
  private caps = new Set<string>();
  private dead: Error | undefined;
  busy = false;

  constructor(private readonly o: Required<Pick<SmtpOptions, 'timeoutMs' | 'name'>> & SmtpOptions & { host: string; port: number; secure: boolean; user?: string; pass?: string }) {}

  get alive(): boolean {
    return !this.dead;
  }

  private attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setTimeout(this.o.timeoutMs, () => this.fail(new SmtpError('ETIMEDOUT', 'SMTP timeout')));
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail(new SmtpError('ECONNECTION', `SMTP connection error (${e.code ?? e.message})`)));
    socket.on('close', () => this.fail(new SmtpError('ECONNECTION', 'SMTP connection closed')));
  }

  private onData(d: Buffer): void {
    this.buf += d.toString('latin1');
    let i;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).replace(/\r$/, '');
      this.buf = this.buf.slice(i + 1);
      this.lines.push(line);
      // a reply ends with "NNN " (or a bare "NNN"); "NNN-" continues it
      if (/^\d{3}(?: |$)/.test(line)) {
        const text = this.lines.map((l) => l.slice(4)).join('\n');
        this.lines = [];
        this.waiters.shift()?.resolve({ code: Number(line.slice(0, 3)), text });
      }
    }
  }

  private fail(e: SmtpError): void {
    if (this.dead) return;
    this.dead = e;
    for (const w of this.waiters.splice(0)) w.reject(e);
    this.socket?.destroy();
  }

  private reply(): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async command(line: string): Promise<Reply> {
    const r = this.reply();
    this.socket.write(`${line}\r\n`);
    return r;
  }

  async open(): Promise<void> {
    const { host, port } = this.o;
    const socket = this.o.secure ? tlsConnect({ host, port, servername: LOCAL.test(host) ? undefined : host, ...this.o.tls }) : netConnect(port, host);
    this.attach(socket);
    const greeting = await this.reply();
    if (greeting.code !== 220) throw new SmtpError('EPROTOCOL', `SMTP greeting ${greeting.code}`, greeting.code);
    await this.ehlo();
    const mustTls = this.o.requireTls ?? !LOCAL.test(host);
    if (!this.o.secure && this.caps.has('STARTTLS') && (mustTls || this.o.user)) {
      const r = await this.command('STARTTLS');
      if (r.code !== 220) throw new SmtpError('ECONNECTION', `STARTTLS refused (${r.code})`, r.code);
      const plain = this.socket;
      plain.removeAllListeners('data');
      plain.removeAllListeners('close');
      plain.removeAllListeners('error');
      plain.setTimeout(0);
      const secured = tlsConnect({ socket: plain, servername: LOCAL.test(host) ? undefined : host, ...this.o.tls });
      await new Promise<void>((resolve, reject) => {
        secured.once('secureConnect', () => resolve());
        secured.once('error', (e) => reject(new SmtpError('ECONNECTION', `TLS failed (${(e as NodeJS.ErrnoException).code ?? e.message})`)));
      });
      this.attach(secured);
      this.o.secure = true;
      await this.ehlo();
    } else if (!this.o.secure && mustTls) {
      throw new SmtpError('ECONNECTION', 'the SMTP server offers no TLS, and the connection is not local');
    }
    if (this.o.user) {
      const token = Buffer.from(`\0${this.o.user}\0${this.o.pass ?? ''}`).toString('base64');
      const r = await this.command(`AUTH PLAIN ${token}`);
      if (r.code !== 235) throw new SmtpError('EAUTH', `SMTP authentication failed (${r.code})`, r.code);
    }
  }

  private async ehlo(): Promise<void> {
    const r = await this.command(`EHLO ${this.o.name}`);
    if (r.code !== 250) throw new SmtpError('EPROTOCOL', `EHLO refused (${r.code})`, r.code);
    this.caps = new Set(r.text.split('\n').slice(1).map((l) => l.trim().split(/\s+/)[0]!.toUpperCase()));
  }

  /**
   * Sends jobs from `take` until it has none. With PIPELINING, a message's envelope (MAIL, RCPT…,
   * DATA) goes in one write, and it rides in the same write as the previous message's content and
   * its closing dot (RFC 2920 lets the content be the first "command" of a group), so a message
   * costs one write and two replies to wait for; without it, one command at a time.
   */
  async serve(take: () => Job | undefined): Promise<void> {
    const pipelining = this.caps.has('PIPELINING');
    const envelopeOf = (job: Job) => [`MAIL FROM:<${job.from}>`, ...job.to.map((t) => `RCPT TO:<${t}>`), 'DATA'];
    let job = take();
    let pending: Array<Promise<Reply>> | undefined;
    if (job && pipelining) {
      pending = envelopeOf(job).map(() => this.reply());
      this.socket.write(`${envelopeOf(job).join('\r\n')}\r\n`);
    }
    while (job) {
      const current: Job = job;
      let replies: Reply[];
      try {
        if (pending) replies = await Promise.all(pending);
        else {
          // MAIL; each RCPT (a refused one does not end the transaction); DATA if anyone was accepted
          replies = [];
          const lines = envelopeOf(current);
          for (const [i, line] of lines.entries()) {
            const last = i === lines.length - 1;
            if (last && !replies.slice(1).some((r) => r.code < 400)) break;
            const r = await this.command(line);
            replies.push(r);
            if (i === 0 && r.code >= 400) break;
          }
        }
      } catch (e) {
        current.reject(e as Error);
        throw e;
      }
      pending = undefined;
      const [mail, ...rest] = replies;
      const rcpts = rest.slice(0, current.to.length);
      const data = rest[current.to.length];
      const rejected = current.to.filter((_t, i) => !rcpts[i] || rcpts[i]!.code >= 400);
      let refused: SmtpError | undefined;
      if (!mail || mail.code >= 400) refused = new SmtpError('EENVELOPE', `MAIL FROM refused (${mail?.code})`, mail?.code);
      else if (rejected.length === current.to.length) {
        const code = rcpts.find((r) => r && r.code >= 400)?.code;
        refused = new SmtpError('EENVELOPE', `recipient refused (${code})`, code);
      } else if (!data || data.code !== 354) refused = new SmtpError('EMESSAGE', `DATA refused (${data?.code})`, data?.code);
      if (refused) {
        // end a DATA the server opened anyway, then start clean
        if (data?.code === 354) await this.finish('', '');
        const r = await this.command('RSET');
        current.reject(refused);
        if (r.code !== 250) throw new SmtpError('EPROTOCOL', `RSET refused (${r.code})`, r.code);
        job = take();
        if (job && pipelining) {
          pending = envelopeOf(job).map(() => this.reply());
          this.socket.write(`${envelopeOf(job).join('\r\n')}\r\n`);
        }
        continue;
      }
      const next = pipelining ? take() : undefined;
      const done = this.reply();
      if (next) pending = envelopeOf(next).map(() => this.reply());
      this.socket.write(`${stuff(current.raw)}.\r\n${next ? `${envelopeOf(next).join('\r\n')}\r\n` : ''}`);
      try {
        const r = await done;
        if (r.code >= 400) current.reject(new SmtpError('EMESSAGE', `message refused (${r.code})`, r.code));
        else current.resolve({ response: `${r.code} ${r.text}`, rejected });
      } catch (e) {
        current.reject(e as Error);
        if (next) next.reject(e as Error);
        throw e;
      }
      job = next ?? (pipelining ? undefined : take());
      if (!job && pipelining) {
        job = take();
        if (job) {
          pending = envelopeOf(job).map(() => this.reply());
          this.socket.write(`${envelopeOf(job).join('\r\n')}\r\n`);
        }
      }
    }
  }

  private finish(raw: string, after: string): Promise<Reply> {
    const r = this.reply();
    this.socket.write(`${stuff(raw)}.\r\n${after}`);
    return r;
  }

  close(): void {
    if (this.dead) return;
    try {
      this.socket.write('QUIT\r\n');
      this.socket.end();
    } catch {
      // already gone
    }
    this.dead = new SmtpError('ECONNECTION', 'closed');
  }
}

export function createSmtpPool(o: SmtpOptions) {
  const u = new URL(o.url);
  const secure = u.protocol === 'smtps:';
  const settings = {
    ...o,
    timeoutMs: o.timeoutMs ?? 30_000,
    name: o.name ?? hostname(),
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    pass: u.password ? decodeURIComponent(u.password) : undefined,
  };
  const size = Math.max(1, o.connections);
  const conns: Array<Connection | undefined> = [];
  const opening: Array<Promise<Connection> | undefined> = [];
  const queue: Job[] = [];
  let closed = false;

  async function connection(slot: number): Promise<Connection> {
    const c = conns[slot];
    if (c?.alive) return c;
    opening[slot] ??= (async () => {
      const fresh = new Connection({ ...settings });
      try {
        await fresh.open();
        conns[slot] = fresh;
        return fresh;
      } catch (e) {
        fresh.close();
        throw e;
      } finally {
        opening[slot] = undefined;
      }
    })();
    return opening[slot]!;
  }

  const active = new Set<number>();
  function pump(): void {
    for (let slot = 0; slot < size && queue.length; slot++) {
      if (active.has(slot)) continue;
      active.add(slot);
      void (async () => {
        try {
          while (queue.length && !closed) {
            let c: Connection;
            try {
              c = await connection(slot);
            } catch (e) {
              queue.shift()?.reject(e instanceof SmtpError ? e : new SmtpError('ECONNECTION', (e as Error).message));
              continue;
            }
            try {
              await c.serve(() => (closed ? undefined : queue.shift()));
            } catch {
              // the job(s) in hand were rejected with the reason; the connection is replaced on the next round
            }
          }
        } finally {
          active.delete(slot);
        }
      })();
    }
  }

  return {
    send(m: { from: string; to: string[]; raw: string }): Promise<{ response: string; rejected: string[] }> {
      if (closed) return Promise.reject(new SmtpError('ECONNECTION', 'the SMTP pool is closed'));
      return new Promise((resolve, reject) => {
        queue.push({ ...m, resolve, reject });
        pump();
      });
    },
    async close(): Promise<void> {
      closed = true;
      for (const j of queue.splice(0)) j.reject(new SmtpError('ECONNECTION', 'the SMTP pool is closed'));
      for (const c of conns) c?.close();
    },
  };
}
