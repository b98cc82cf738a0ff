import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const KRDS_PACKAGE = require.resolve('krds-uiux/package.json');

/** The resources folder of the installed KRDS package (CSS, fonts, icons). */
export const KRDS_RESOURCES = path.join(path.dirname(KRDS_PACKAGE), 'resources');
export const KRDS_VERSION = (JSON.parse(readFileSync(KRDS_PACKAGE, 'utf8')) as { version: string }).version;

export const STATIC_PREFIX = '/static/';
/** Hashed names never change content, so browsers and proxies may keep them for a year without asking. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface StaticFile {
  name: string;
  type: string;
  body: Buffer;
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function hashedName(file: string, body: Buffer): string {
  const ext = path.extname(file);
  return `${path.basename(file, ext)}.${sha256(body).slice(0, 12)}${ext}`;
}

const TYPES: Record<string, string> = {
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
};

/** The fonts KRDS names (`Pretendard GOV`); the woff2 subsets are what every current browser reads. */
export const FONTS = [
  { file: 'PretendardGOV-Regular.subset.woff2', weight: 400 },
  { file: 'PretendardGOV-Medium.subset.woff2', weight: 500 },
  { file: 'PretendardGOV-Bold.subset.woff2', weight: 700 },
] as const;

export interface AssetManifest {
  /** Static files by their hashed name (the last path segment under /static/). */
  files: Map<string, StaticFile>;
  /** URL of a font file or KRDS icon by its original file name. */
  url(original: string): string | undefined;
  /** A digest of every file, part of the stylesheet's cache key (the CSS points at their hashed names). */
  digest: string;
}

function load(dir: string, names: string[], files: Map<string, StaticFile>, byOriginal: Map<string, string>) {
  for (const original of names) {
    const body = readFileSync(path.join(dir, original));
    const name = hashedName(original, body);
    files.set(name, { name, type: TYPES[path.extname(original)] ?? 'application/octet-stream', body });
    byOriginal.set(original, `${STATIC_PREFIX}${name}`);
  }
}

let manifest: AssetManifest | undefined;

/**
 * Fonts, icons and the favicon from the KRDS package under content-hashed names. Read once per
 * process (about 1 MB, a few milliseconds): the package does not change while the server runs.
 */
export function assetManifest(): AssetManifest {
  if (manifest) return manifest;
  const files = new Map<string, StaticFile>();
  const byOriginal = new Map<string, string>();
  const iconDir = path.join(KRDS_RESOURCES, 'img/component/icon');
  load(path.join(KRDS_RESOURCES, 'fonts'), FONTS.map((f) => f.file), files, byOriginal);
  load(iconDir, readdirSync(iconDir).filter((f) => f.endsWith('.svg')).sort(), files, byOriginal);
  load(path.join(KRDS_RESOURCES, 'img/component/favicon'), ['favicon.svg'], files, byOriginal);
  const digest = sha256([...files.keys()].sort().join('\n'));
  manifest = { files, url: (original) => byOriginal.get(original), digest };
  return manifest;
}
