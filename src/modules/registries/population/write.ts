// Writes a synthetic population: in one transaction, the ten registries' records (and history)
// are emptied and the new records streamed in with COPY, generation and loading overlapping.
// RRNs are stored only encrypted, with the blind index the registry service looks them up by.
import { sql } from 'drizzle-orm';
import { rows, type RawTx } from '../../../platform/db.ts';
import type { Platform } from '../../../platform/platform.ts';
import { rrnContext, rrnIndex } from '../record-codec.ts';
import { generatePopulation, type PopulationOptions } from './generate.ts';
import { REGISTRY_CODES, type GenRecord, type RegistryCode } from './records.ts';

export const SEED_ACTOR = 'system:seed';
const TARGET = 'registries.record (registry_id, id, subject_id, data, rrn_index, changed_by, reason)';

/** The ids of the ten registries (version 1.0) by code; an error naming what is missing. */
export async function registryIds(platform: Platform): Promise<Record<RegistryCode, number>> {
  const found = await rows<{ id: number; code: string }>(
    platform.db,
    sql`select id, code from registries.registry where version = '1.0' and code in (${sql.join(REGISTRY_CODES.map((c) => sql`${c}`), sql`, `)})`,
  );
  const ids = Object.fromEntries(found.map((r) => [r.code, Number(r.id)])) as Record<RegistryCode, number>;
  const missing = REGISTRY_CODES.filter((c) => ids[c] === undefined);
  if (missing.length) throw new Error(`registries missing (run the registries.definitions seeder first): ${missing.join(', ')}`);
  return ids;
}

export interface WriteOptions extends PopulationOptions {
  /** called after each batch with the number of citizens in it */
  progress?: (citizens: number) => void;
  /** citizens per COPY batch (default 1,000: short-lived strings are cheap for the GC, and 16 batches queue at most) */
  batchSize?: number;
}

export interface WriteResult {
  citizens: number;
  records: number;
}

/**
 * One COPY text-format line. JSON has no raw tabs or newlines, so only backslashes need doubling.
 * No reason per row (it would be a tenth of the table): `changed_by` says the seeder made it, and
 * the audit log has the seed and date of the run.
 */
function line(r: GenRecord, registryId: number, index: string | undefined): string {
  let json = JSON.stringify(r.data);
  if (json.includes('\\')) json = json.replace(/\\/g, '\\\\');
  return `${registryId}\t${r.id}\t${r.subjectId}\t${json}\t${index ?? '\\N'}\t${SEED_ACTOR}\t\\N\n`;
}

interface IndexDef {
  name: string;
  def: string;
}

/**
 * The secondary indexes of registries.record (not the primary key), dropped before a load into the
 * emptied table and built again after it: one sorted build costs far less than millions of single
 * inserts, each written to the WAL. Read from the catalogue, so indexes added by later migrations
 * are kept too.
 */
async function dropSecondaryIndexes(tx: RawTx): Promise<IndexDef[]> {
  const defs = await tx.query<IndexDef>(
    `select format('%I.%I', n.nspname, c.relname) as name, pg_get_indexdef(i.indexrelid) as def
     from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
     where i.indrelid = 'registries.record'::regclass
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
  );
  for (const d of defs) await tx.exec(`drop index ${d.name}`);
  return defs;
}

/**
 * Replaces the synthetic population. Records of other registries are kept: the tables are
 * truncated (fast, and lets COPY write frozen rows) only when the ten registries are all they hold.
 */
export async function writePopulation(platform: Platform, opts: WriteOptions): Promise<WriteResult> {
  const ids = await registryIds(platform);
  const own = Object.values(ids);
  const { crypto } = platform;
  const batchSize = opts.batchSize ?? 1000;
  const result: WriteResult = { citizens: 0, records: 0 };

  async function* batches(): AsyncGenerator<string> {
    let lines: string[] = [];
    let n = 0;
    for (const chunk of generatePopulation({ ...opts, chunkSize: Math.min(250, batchSize) })) {
      for (const r of chunk.records) {
        let index: string | undefined;
        if (r.rrn) {
          const digits = r.rrn.replace('-', '');
          r.data.rrn = crypto.encrypt(digits, rrnContext('resident', r.id, 'rrn'));
          index = rrnIndex(crypto, digits);
        }
        lines.push(line(r, ids[r.registry], index));
      }
      n += chunk.citizens;
      result.records += chunk.records.length;
      if (n >= batchSize) {
        yield lines.join('');
        opts.progress?.(n);
        result.citizens += n;
        lines = [];
        n = 0;
      }
    }
    if (n) {
      yield lines.join('');
      opts.progress?.(n);
      result.citizens += n;
    }
  }

  await platform.database.rawTransaction(async (tx) => {
    const [other] = await tx.query<{ other: boolean }>(
      `select exists (select 1 from registries.registry g where g.id <> all($1::int[])
         and (exists (select 1 from registries.record r where r.registry_id = g.id)
           or exists (select 1 from registries.record_history h where h.registry_id = g.id))) as other`,
      [own],
    );
    const truncated = !other?.other;
    let rebuild: IndexDef[] = [];
    if (truncated) {
      await tx.exec('truncate registries.record, registries.record_history');
      rebuild = await dropSecondaryIndexes(tx);
    } else {
      await tx.query('delete from registries.record_history where registry_id = any($1::int[])', [own]);
      await tx.query('delete from registries.record where registry_id = any($1::int[])', [own]);
    }
    if (!tx.copyFrom) throw new Error('this database driver cannot bulk load (RawTx.copyFrom)');
    await tx.copyFrom(TARGET, batches(), { freeze: truncated });
    if (rebuild.length && platform.database.engine === 'postgres') await tx.exec(`set local maintenance_work_mem = '256MB'`);
    for (const d of rebuild) await tx.exec(d.def);
    // fresh statistics, so that the first look-ups plan with the new row counts
    await tx.exec('analyze registries.record');
  });
  return result;
}
