import type { Command } from 'commander';
import type { FastifyPluginAsync } from 'fastify';
import type { ConsentGate } from './consent.ts';
import type { EventHandler } from './events.ts';
import type { JobHandler } from './outbox.ts';
import type { PeriodicTask } from './periodic.ts';
import type { Platform } from './platform.ts';
import type { Seeder } from './seed.ts';

/**
 * What a module gives the platform. Each module's `index.ts` exports one of these; `app.ts`
 * lists them in dependency order.
 */
export interface HanaroModule {
  /** Also the name of the module's Postgres schema. */
  name: string;
  /** Modules this one reads through (for seeding and migration order). */
  dependsOn?: string[];
  /** Folder of the module's `NNNN_name.sql` migrations. */
  migrations?: string;
  /** Routes and pages; registered encapsulated, with the platform passed in. */
  plugin?: FastifyPluginAsync<{ platform: Platform }>;
  seeders?: Seeder[];
  /** Outbox topics this module handles (a function when the handlers need the platform). */
  jobs?: Record<string, JobHandler> | ((platform: Platform) => Record<string, JobHandler>);
  /** Upkeep the worker runs every so often, once across all workers (platform/periodic.ts). */
  periodic?: PeriodicTask[];
  /**
   * Loops of its own the module runs in the worker role besides outbox jobs (the notification
   * lanes); started after the worker, stopped before the database closes.
   */
  background?: (platform: Platform) => Promise<{ stop(): Promise<void> }>;
  /** Outbox topics the background loops claim themselves (the worker does not report them as unhandled). */
  backgroundTopics?: string[];
  /**
   * Domain events this module listens to, by event type; each gets its own delivery job. A
   * function when the handlers need the platform (to read through the mediator, to send).
   */
  subscribes?: Record<string, EventHandler> | ((platform: Platform) => Record<string, EventHandler>);
  /**
   * Subcommands under `hanaro <name>` (e.g. `hanaro exchange call`). `open` runs a function with a
   * migrated platform and closes it afterwards.
   */
  /**
   * The module that keeps citizens' consents answers the mediator's consent questions (at most one
   * module; platform/consent.ts). Called once per platform.
   */
  consentGate?: (platform: Platform) => ConsentGate;
  cli?: (cmd: Command, open: <T>(fn: (p: Platform) => Promise<T>) => Promise<T>) => void;
}
