import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../platform/platform.ts';
import { authenticate, requireOwner, type ApiCaller } from './auth.ts';
import { getRegistry, type RegistryInfo } from './catalog.ts';
import type { Ctx } from './service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the registries' auth hook on the Data and Database APIs. */
    registryCaller?: ApiCaller;
    /** The registry named by the path, once the caller was found to own it. */
    registry?: RegistryInfo;
  }
}

export const DATA_TAG = 'GovStack Digital Registries: Data API';
export const DATABASE_TAG = 'GovStack Digital Registries: Database API';
export const HANARO_TAG = 'registries';

/**
 * The headers every Data and Database API call carries. The auth hook checks them before the
 * schema does (preValidation), so that a missing key is a 401 and a missing client a 400.
 */
export const ApiHeaders = z.looseObject({
  'information-mediator-client': z
    .string()
    .describe('The calling client subsystem, INSTANCE/CLASS/MEMBER/SUBSYSTEM (KR/GOV/MOIS/resident-registry); must be the API key\'s'),
  authorization: z.string().describe('The API key: `Bearer <key>` or the key alone'),
  'x-road-issue': z.string().optional().describe('Why: the case or purpose, recorded in the record history and the access log'),
});

export const RegistryParams = z.object({
  registryName: z.string().describe('Registry code, e.g. resident'),
  versionNumber: z.string().describe('Registry version, e.g. 1.0'),
});

/** A record: `id`, `subjectId` (registries about a citizen) and the registry's fields. */
export const Content = z.record(z.string(), z.unknown()).describe('A record: id, subjectId (for registries about a citizen) and the registry\'s fields');

const MAX_ISSUE = 500;

/** X-Road-Issue as text (percent-encoded values, which carry Korean in a header, are decoded). */
export function issueOf(req: FastifyRequest): string | undefined {
  const raw = req.headers['x-road-issue'];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!v) return undefined;
  let text = v;
  if (v.includes('%')) {
    try {
      text = decodeURIComponent(v);
    } catch {
      // not percent-encoded after all
    }
  }
  return text.slice(0, MAX_ISSUE);
}

export function callerOf(req: FastifyRequest): ApiCaller {
  return req.registryCaller!;
}

export function ctxOf(req: FastifyRequest): Ctx {
  return { actor: callerOf(req).client, reason: issueOf(req) ?? null, lang: req.lang };
}

/**
 * The auth hook of the GovStack routes (preValidation, so that a caller without a key hears 401
 * before anything about its body): finds the caller, and for a path naming a registry, the
 * registry, which only its owning agency may use directly.
 */
export function authHook(platform: Platform, opts: { ownerOnly: boolean }) {
  return async (req: FastifyRequest) => {
    req.registryCaller = await authenticate(platform, req.headers);
    const params = req.params as Record<string, string | undefined>;
    if (params.registryName !== undefined && params.versionNumber !== undefined) {
      const info = await getRegistry(platform, params.registryName, params.versionNumber);
      if (opts.ownerOnly) requireOwner(req.registryCaller, info.agency);
      req.registry = info;
    }
  };
}
