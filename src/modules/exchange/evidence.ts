import { createHash, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { JWK } from 'jose';
import { z } from 'zod';
import { NotFoundError, UnauthorizedError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import { parseSubsystemId } from './client-keys.ts';
import { entryHash, hashedFields, type LogEntry } from './message-log.ts';
import { checkEntrySignature, logKeys, readEntries, verificationKeys } from './message-log-verify.ts';
import { mediator } from './protocol-pipeline.ts';
import { verifySignature } from './signatures.ts';

/**
 * Evidence of one exchange: its signed message-log entries (an X-Road-Id the client chose may
 * occur more than once), each with its neighbours' hashes, and the public keys that check the
 * signatures. Anyone holding it can recompute the hash (the definition is in message-log.ts
 * and repeated in `hashDefinition`) and verify the JWS without access to Hanaro.
 *
 * Who may have it (GET /api/exchange/evidence/{xRoadId}):
 * - the parties: a request signed (RFC 9421, same profile as /r1) by the client subsystem of
 *   the exchange or by the provider subsystem of its service; entries of other parties stay
 *   hidden (404 when none is theirs);
 * - operators: `Authorization: Bearer <HANARO_METRICS_TOKEN>` (the operators' token, until
 *   operator accounts exist), and `hanaro exchange evidence <x-road-id>` on the server.
 */
export interface EvidenceEntry {
  /** The entry exactly as hashed (snake_case keys), with hash, kid and signature. */
  record: Record<string, unknown>;
  previous: { seq: number; hash: string } | null;
  next: { seq: number; prev_hash: string } | null;
  checks: { hash: boolean; signature: string; previousLink: boolean; nextLink: boolean };
}

export interface Evidence {
  xRoadId: string;
  entries: EvidenceEntry[];
  jwks: { keys: JWK[] };
  hashDefinition: string;
}

const HASH_DEFINITION =
  'hash = lowercase hex SHA-256 of the RFC 8785 canonical JSON of the record without hash, kid and signature ' +
  '(duration_ms as IEEE single precision); signature = compact JWS (EdDSA or ES256) whose payload is the hash text; ' +
  'prev_hash = hash of the entry before (64 zeros for seq 1)';

function record(e: LogEntry): Record<string, unknown> {
  return { ...hashedFields(e), hash: e.hash, kid: e.kid, signature: e.signature };
}

/** The evidence of `xRoadId`, limited to entries where `party` (a subsystem id) is client or provider. */
export async function exportEvidence(platform: Platform, xRoadId: string, opts: { party?: string } = {}): Promise<Evidence | undefined> {
  const party = opts.party;
  const filter = party ? sql`and (client_id = ${party} or service_id like ${`${party.replace(/[\\%_]/g, '\\$&')}/%`})` : sql``;
  const entries = await readEntries(platform.db, sql`where x_road_id = ${xRoadId} ${filter}`, 20);
  if (!entries.length) return undefined;
  const keys = await verificationKeys(platform);
  const jwks = (await logKeys(platform)).filter((k) => entries.some((e) => e.kid === k.kid));
  const out: EvidenceEntry[] = [];
  for (const e of entries) {
    const [prev] = await readEntries(platform.db, sql`where seq = ${e.seq - 1}`, 1);
    const [next] = await readEntries(platform.db, sql`where seq = ${e.seq + 1}`, 1);
    out.push({
      record: record(e),
      previous: prev ? { seq: prev.seq, hash: prev.hash } : null,
      next: next ? { seq: next.seq, prev_hash: next.prevHash } : null,
      checks: {
        hash: entryHash(e) === e.hash,
        signature: checkEntrySignature(e, keys) ?? 'ok',
        previousLink: prev ? prev.hash === e.prevHash : e.seq === 1,
        nextLink: next ? next.prevHash === e.hash : true,
      },
    });
  }
  return { xRoadId, entries: out, jwks: { keys: jwks }, hashDefinition: HASH_DEFINITION };
}

const Params = z.object({ xRoadId: z.string().min(1).max(200) });

export async function evidenceRoutes(app: FastifyInstance, opts: { platform: Platform }): Promise<void> {
  const { platform } = opts;
  const m = mediator(platform);
  const token = platform.config.metricsToken;
  const expected = token === undefined ? undefined : createHash('sha256').update(`Bearer ${token}`).digest();
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/exchange/evidence/:xRoadId',
    {
      schema: {
        tags: ['exchange'],
        summary: 'Signed message-log evidence of one exchange (for its client or provider, signed request; or operators)',
        params: Params,
      },
    },
    async (req) => {
      let party: string | undefined;
      const auth = req.headers.authorization;
      if (auth !== undefined) {
        const given = createHash('sha256').update(auth).digest();
        if (!expected || !timingSafeEqual(given, expected)) throw new UnauthorizedError('the bearer token is not the operators\' token');
      } else {
        const client = req.headers['x-road-client'];
        const clientId = typeof client === 'string' && parseSubsystemId(client) ? client : undefined;
        if (!clientId) throw new UnauthorizedError('sign the request as the client or provider subsystem (X-Road-Client and RFC 9421 signature)');
        const result = await verifySignature(
          { method: req.method, url: new URL(req.url, `${req.protocol}://${req.host}`), headers: req.headers },
          {
            required: ['@method', 'x-road-client'],
            requireOneOf: [['@target-uri'], ['@path', '@query']],
            keyLookup: async (kid) => {
              const key = await m.keys.lookup(kid);
              return key && key.clientId === clientId ? key : undefined;
            },
            alternativeUrl: new URL(req.url, m.publicUrl),
          },
        );
        if (!result.ok) throw new UnauthorizedError(result.reason, 'invalid_signature');
        party = clientId;
      }
      const evidence = await exportEvidence(platform, req.params.xRoadId, { party });
      if (!evidence) throw new NotFoundError(`no exchange ${req.params.xRoadId} of yours in the message log`);
      return evidence;
    },
  );
}
