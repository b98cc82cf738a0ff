import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_VARS } from './config.ts';

describe('docs/operations.md', () => {
  it('documents every environment variable the config reads, and no other', async () => {
    const doc = await readFile(path.resolve(import.meta.dirname, '../../docs/operations.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Environment variables'), doc.indexOf('## Commands'));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual(Object.keys(ENV_VARS).sort());
  });
});
