// The synthetic population as a stream of chunks: deterministic for (seed, reference date), and
// the first n citizens are the same whatever the total, so a chunk needs no memory of earlier ones
// beyond the RRN counters (about 70,000 entries for a million people).
import { createRng } from '../../../platform/seed.ts';
import { cluster, type Gen } from './household.ts';
import { dayOf, rrnIssuer, uuidFactory } from './ids.ts';
import { clusterRecords, type GenRecord, type RecordGen } from './records.ts';

export interface PopulationOptions {
  seed: number;
  /** resident records to make (living, deceased and emigrated residents all count) */
  citizens: number;
  /** the reference date (YYYY-MM-DD): ages are on this day, due dates spread over the year after it */
  asOf: string;
  /** citizens per chunk (a chunk ends with a whole family cluster, so it may hold a few more) */
  chunkSize?: number;
}

export interface Chunk {
  records: GenRecord[];
  citizens: number;
}

export function* generatePopulation(opts: PopulationOptions): Generator<Chunk> {
  const root = createRng(opts.seed, 'registries.population');
  const ref = dayOf(opts.asOf);
  if (!Number.isFinite(ref)) throw new Error(`not a date: ${opts.asOf}`);
  // people and households draw from streams that never depend on the reference date, so a seed
  // gives the same citizen ids, names and families whatever day it is generated on; only dates
  // (and what depends on them) move with the reference date
  const g: Gen = { rng: root.fork('households'), ref, newId: uuidFactory(root.fork('ids')) };
  const rg: RecordGen = { rng: root.fork('records'), ref, newId: uuidFactory(root.fork('record-ids')), rrn: rrnIssuer(root.fork('rrn')) };
  const chunkSize = opts.chunkSize ?? 250;
  let made = 0;
  let chunk: Chunk = { records: [], citizens: 0 };
  while (made < opts.citizens) {
    const remaining = opts.citizens - made;
    let c = cluster(g, remaining < 2);
    // a cluster larger than what is left is replaced by one person living alone
    if (c.people.length > remaining) c = cluster(g, true);
    clusterRecords(rg, c.people, c.households, chunk.records);
    made += c.people.length;
    chunk.citizens += c.people.length;
    if (chunk.citizens >= chunkSize) {
      yield chunk;
      chunk = { records: [], citizens: 0 };
    }
  }
  if (chunk.citizens) yield chunk;
}
