import type { FastifyInstance } from 'fastify';
import type { Platform } from '../../platform/platform.ts';

/** Portal and console pages of notifications (inbox, preferences, /dev/mail, /dev/sms, templates). */
export async function notifyPages(_app: FastifyInstance, _opts: { platform: Platform }): Promise<void> {}
