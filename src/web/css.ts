import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractorResult } from 'purgecss';
import { FONTS, KRDS_RESOURCES, sha256, STATIC_PREFIX, type AssetManifest } from './assets.ts';

const require = createRequire(import.meta.url);
const PURGECSS_VERSION = (JSON.parse(readFileSync(require.resolve('purgecss/package.json'), 'utf8')) as { version: string }).version;

// The unminified sources: the minified CDN bundle (krds.min.css, 580 KB) points its icons at
// krds.go.kr, which the CSP (and a government's own hosting) must not depend on.
const KRDS_CSS = ['css/token/krds_tokens.css', 'css/common/common.css', 'css/component/component.css'];
const OWN_CSS = fileURLToPath(new URL('./styles/hanaro.css', import.meta.url));
// Part of the cache key: a change to how the subset is made must change the file name too.
const BUILDER = readFileSync(fileURLToPath(import.meta.url), 'utf8');

export interface StylesheetInput {
  /** Rendered HTML of every page variant the shell can produce; matched exactly (classes, ids, attributes). */
  pages: string[];
  /** Templates whose classes are only known from their source (module pages); matched by word. */
  sources?: Array<{ raw: string; extension: string }>;
}

/** KRDS's three files as one, without the `@import` (the tokens come first anyway) and `@charset` lines. */
export function krdsSource(): string {
  return KRDS_CSS.map((f) => readFileSync(path.join(KRDS_RESOURCES, f), 'utf8'))
    .join('\n')
    .replace(/^@(?:import|charset)[^;]*;\s*$/gm, '');
}

export function ownSource(): string {
  return readFileSync(OWN_CSS, 'utf8');
}

/** KRDS refers to its icons as ../../img/(img/)component/icon/X.svg (the doubled img/ is a packaging slip). */
export function rewriteIconUrls(css: string, assets: AssetManifest): string {
  return css.replace(/url\((['"]?)(?:\.\.\/)+img\/(?:img\/)?component\/icon\/([\w.-]+\.svg)\1\)/g, (whole, _q: string, file: string) => {
    const url = assets.url(file);
    return url ? `url(${url})` : whole;
  });
}

function fontFaces(assets: AssetManifest): string {
  return FONTS.map(
    (f) =>
      `@font-face{font-family:"Pretendard GOV";font-style:normal;font-weight:${f.weight};font-display:swap;src:url(${assets.url(f.file)}) format("woff2")}`,
  ).join('\n');
}

/**
 * Keeps only the KRDS rules whose selectors match the given pages, and only the custom properties
 * those rules (and Hanaro's own stylesheet) use. Hanaro's rules go through the same purge so that
 * the tokens they use survive it.
 */
export async function buildStylesheet(input: StylesheetInput, assets: AssetManifest): Promise<string> {
  // loaded here, not at start-up (a quarter of a second), since most starts read the cache instead
  const { PurgeCSS } = await import('purgecss');
  // CommonJS (`module.exports = fn`) whose typings declare a default export, which TypeScript then
  // reads as `.default`; requiring it gives the function under an honest type
  const purgeHtml = require('purgecss-from-html') as (content: string) => ExtractorResult;
  const [result] = await new PurgeCSS().purge({
    content: [...input.pages.map((raw) => ({ raw, extension: 'html' })), ...(input.sources ?? [])],
    css: [{ raw: `${krdsSource()}\n${ownSource()}` }],
    extractors: [{ extractor: purgeHtml, extensions: ['html'] }],
    variables: true,
    keyframes: true,
    // the @font-face rules are added afterwards; KRDS names the family through a custom property
    fontFace: false,
  });
  const css = rewriteIconUrls(result?.css ?? '', assets)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\n\s*\n+/g, '\n');
  return `${fontFaces(assets)}\n${css}`;
}

export function stylesheetKey(input: StylesheetInput, assets: AssetManifest): string {
  const h = sha256(
    [
      BUILDER,
      PURGECSS_VERSION,
      krdsSource(),
      ownSource(),
      assets.digest,
      ...input.pages,
      ...(input.sources ?? []).map((s) => `${s.extension}\n${s.raw}`),
    ].join('\u0000'),
  );
  return h.slice(0, 16);
}

export interface Stylesheet {
  /** File name under /static/: known at start-up, before the CSS itself is built. */
  name: string;
  href: string;
  /** The CSS; built on first use, from the disk cache when an earlier run built the same inputs. */
  content(): Promise<Buffer>;
}

/**
 * The stylesheet is named by a hash of everything that determines it, so pages can link it at once
 * and the purge (about a second of CPU) runs only once per change of inputs: the result is kept in
 * `cacheDir` across restarts, and in memory for the life of the process.
 */
export interface StylesheetOptions {
  cacheDir?: string;
  /** Told how long the stylesheet took and whether it came from the disk cache (for the start-up log). */
  onBuilt?: (info: { ms: number; bytes: number; cached: boolean; cacheError?: string }) => void;
}

export function createStylesheet(input: StylesheetInput, assets: AssetManifest, opts: StylesheetOptions = {}): Stylesheet {
  const name = `hanaro.${stylesheetKey(input, assets)}.css`;
  let pending: Promise<Buffer> | undefined;
  const produce = async (): Promise<Buffer> => {
    const started = performance.now();
    const dir = opts.cacheDir;
    const file = dir ? path.join(dir, name) : undefined;
    if (file) {
      try {
        const cached = await readFile(file);
        opts.onBuilt?.({ ms: performance.now() - started, bytes: cached.length, cached: true });
        return cached;
      } catch {
        // not built yet, or the cache is unreadable: build it
      }
    }
    const css = Buffer.from(await buildStylesheet(input, assets), 'utf8');
    let cacheError: string | undefined;
    if (dir && file) {
      // the cache only saves time: a read-only or full disk must not stop the stylesheet being served
      try {
        // write-then-rename: a second process starting at the same time never reads half a file
        await mkdir(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, css);
        await rename(tmp, file);
        // earlier versions are dead weight once inputs changed; a process still serving one keeps it in memory
        for (const old of await readdir(dir)) {
          if (old !== name && /^hanaro\.[0-9a-f]{16}\.css$/.test(old)) await rm(path.join(dir, old), { force: true });
        }
      } catch (e) {
        cacheError = e instanceof Error ? e.message : String(e);
      }
    }
    opts.onBuilt?.({ ms: performance.now() - started, bytes: css.length, cached: false, cacheError });
    return css;
  };
  return {
    name,
    href: `${STATIC_PREFIX}${name}`,
    content() {
      pending ??= produce().catch((e: unknown) => {
        pending = undefined;
        throw e;
      });
      return pending;
    },
  };
}
