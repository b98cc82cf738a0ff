/**
 * The consent gate the information mediator asks before it serves a request made under a
 * citizen's consent (an `X-Hanaro-Consent` header, or an access right whose basis is consent).
 * The platform only defines the question; the MyData module answers it (HanaroModule.consentGate),
 * so that the mediator, which sits upstream of MyData on the data spine, does not import it.
 * Without MyData every such request is refused: consent that cannot be checked is no consent.
 */
export interface ConsentQuestion {
  /** The consent record id the client named. */
  consentId: string;
  /** X-Road-UserId: the citizen the request is about. */
  citizenId: string | undefined;
  /** X-Road-Client: the calling subsystem. */
  client: string;
  /** The mediated service id (KR/GOV/MOIS/resident-registry/resident). */
  service: string;
  at: Date;
}

/** Why a consent does not cover a request; each is its own problem type. */
export type ConsentRefusal =
  | 'consent_not_found'
  | 'consent_withdrawn'
  | 'consent_expired'
  | 'consent_used'
  | 'consent_other_citizen'
  | 'consent_other_recipient'
  | 'consent_service_not_covered'
  | 'consent_unavailable';

export type ConsentDecision =
  | {
      ok: true;
      /** The items of this service the consent covers (registry field names). */
      items: string[];
      /** Who the access record names as the reader, when not the client (a third party served through the MyData hub). */
      reader?: { reader: string; institution: string; application: string };
    }
  | { ok: false; refusal: ConsentRefusal; detail: string };

export interface ConsentGate {
  check(q: ConsentQuestion): Promise<ConsentDecision>;
}

export const NO_CONSENT_GATE: ConsentGate = {
  check: async () => ({ ok: false, refusal: 'consent_unavailable', detail: 'no consent service is running, so no consent can be checked' }),
};
