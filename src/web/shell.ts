import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../platform/config.ts';
import { assetManifest } from './assets.ts';
import type { ShellAssets } from './context.ts';
import { createStylesheet, type Stylesheet, type StylesheetOptions } from './css.ts';
import { samplePages } from './pages.tsx';

const MODULES_DIR = fileURLToPath(new URL('../modules/', import.meta.url));
// portal pages that are not among the samples (they need data or demo mode to render)
const WEB_TEMPLATES = ['dev-sign-in.tsx'].map((n) => fileURLToPath(new URL(`./${n}`, import.meta.url)));

/** Module pages are not rendered here; their classes are read from their templates instead. */
function moduleTemplates(): Array<{ raw: string; extension: string }> {
  let names: string[];
  try {
    names = readdirSync(MODULES_DIR, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return names
    // the pages, and the browser scripts that add markup of their own (the assistant's answers, the wallet)
    .filter((n) => (n.endsWith('.tsx') && !n.endsWith('.test.tsx')) || /\.client\.(js|ts)$/.test(n))
    .sort()
    .map((n) => path.join(MODULES_DIR, n))
    .concat(WEB_TEMPLATES)
    .map((file) => ({ raw: file.includes('.client.') ? classesSetIn(readFileSync(file, 'utf8')) : readFileSync(file, 'utf8'), extension: 'tsx' }));
}

/** The class names a browser script gives the elements it makes (`className = '…'`, `classList.add('…')`), and nothing else of it. */
function classesSetIn(script: string): string {
  return [...script.matchAll(/class(?:Name\s*=|List\.(?:add|toggle)\()\s*['"`]([^'"`]+)['"`]/g)].map((m) => m[1]).join(' ');
}

/** Where built stylesheets are kept between starts; nowhere for an in-memory (test) data directory. */
export function cacheDirOf(config: Pick<Config, 'dataDir'>): string | undefined {
  return config.dataDir.startsWith('memory://') ? undefined : path.resolve(config.dataDir, 'cache', 'css');
}

const stylesheets = new Map<string, Stylesheet>();

/**
 * One stylesheet per process and cache folder: its inputs are fixed for the life of the process,
 * so every app built in it (tests build many) shares one purge.
 */
export function shellStylesheet(cacheDir: string | undefined, onBuilt?: StylesheetOptions['onBuilt']): Stylesheet {
  const key = cacheDir ?? '';
  let s = stylesheets.get(key);
  if (!s) {
    s = createStylesheet({ pages: samplePages(), sources: moduleTemplates() }, assetManifest(), { cacheDir, onBuilt });
    stylesheets.set(key, s);
  }
  return s;
}

export function shellAssets(stylesheet: Stylesheet): ShellAssets {
  return { stylesheet: stylesheet.href, favicon: assetManifest().url('favicon.svg') ?? '' };
}
