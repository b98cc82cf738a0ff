import { sql } from 'drizzle-orm';
import { rows, type Db } from './db.ts';

/**
 * The personal-data access log: one record per read of a citizen's personal data, whoever read
 * it (an agency system through the mediator, an owner through its registry API, an official,
 * the platform). MyData shows a citizen their records; registries answer `myPersonalDataUsage`
 * from it. It lives in the platform because every module that reads personal data writes it.
 *
 * No personal data goes in beyond the citizen's opaque id: `items` are field names, `purpose` and
 * `legalBasis` are texts about the read, not values read.
 */
export interface DataAccess {
  citizenId: string;
  /** The client subsystem (KR/GOV/MOHW/welfare-services) or actor (official:42) that read. */
  reader: string;
  /** The reader's institution (member code, e.g. MOHW). */
  institution: string;
  /** The reading application or service, for people. */
  application?: string;
  /** What was read, e.g. the mediated service id KR/GOV/MOIS/resident-registry/resident. */
  service: string;
  /** Names of the personal-data fields returned. */
  items: string[];
  purpose: string;
  legalBasis?: string;
  consentId?: string;
  xRoadId?: string;
  /** Through what: exchange | registry-api | portal | … */
  channel: string;
  at?: Date;
}

export interface DataAccessRecord extends Required<Pick<DataAccess, 'citizenId' | 'reader' | 'institution' | 'service' | 'items' | 'purpose' | 'channel'>> {
  id: number;
  at: string;
  application: string | null;
  legalBasis: string | null;
  consentId: string | null;
  xRoadId: string | null;
}

export interface AccessLog {
  /** Writes the records, inside `tx` when given (so they commit with the read's other evidence). */
  record(entries: DataAccess[], tx?: Db): Promise<void>;
  /** A citizen's records, newest first; `before` is an id for the next page. */
  forCitizen(citizenId: string, opts?: { limit?: number; before?: number; reader?: string; service?: string }): Promise<DataAccessRecord[]>;
}

interface Row {
  id: string;
  at: string;
  citizen_id: string;
  reader: string;
  institution: string;
  application: string | null;
  service: string;
  items: string[];
  purpose: string;
  legal_basis: string | null;
  consent_id: string | null;
  x_road_id: string | null;
  channel: string;
}

export function createAccessLog(db: Db): AccessLog {
  return {
    async record(entries, tx) {
      if (!entries.length) return;
      const json = JSON.stringify(
        entries.map((e) => ({
          at: (e.at ?? new Date()).toISOString(),
          citizen_id: e.citizenId,
          reader: e.reader,
          institution: e.institution,
          application: e.application ?? null,
          service: e.service,
          items: e.items,
          purpose: e.purpose,
          legal_basis: e.legalBasis ?? null,
          consent_id: e.consentId ?? null,
          x_road_id: e.xRoadId ?? null,
          channel: e.channel,
        })),
      );
      // one statement for the whole batch, one parameter on both drivers
      await (tx ?? db).execute(sql`insert into platform.data_access
        (at, citizen_id, reader, institution, application, service, items, purpose, legal_basis, consent_id, x_road_id, channel)
        select r.at, r.citizen_id, r.reader, r.institution, r.application, r.service,
               array(select jsonb_array_elements_text(r.items)), r.purpose, r.legal_basis, r.consent_id, r.x_road_id, r.channel
        from jsonb_to_recordset(${json}::jsonb) as r(at timestamptz, citizen_id text, reader text, institution text, application text,
          service text, items jsonb, purpose text, legal_basis text, consent_id text, x_road_id text, channel text)`);
    },

    async forCitizen(citizenId, opts = {}) {
      const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
      const found = await rows<Row>(
        db,
        sql`select id::text as id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, citizen_id, reader, institution,
              application, service, items, purpose, legal_basis, consent_id, x_road_id, channel
            from platform.data_access
            where citizen_id = ${citizenId}
              ${opts.before ? sql`and id < ${opts.before}` : sql``}
              ${opts.reader ? sql`and reader = ${opts.reader}` : sql``}
              ${opts.service ? sql`and service = ${opts.service}` : sql``}
            order by id desc limit ${limit}`,
      );
      return found.map((r) => ({
        id: Number(r.id),
        at: r.at,
        citizenId: r.citizen_id,
        reader: r.reader,
        institution: r.institution,
        application: r.application,
        service: r.service,
        items: r.items,
        purpose: r.purpose,
        legalBasis: r.legal_basis,
        consentId: r.consent_id,
        xRoadId: r.x_road_id,
        channel: r.channel,
      }));
    },
  };
}
