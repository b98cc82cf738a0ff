import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync, type BrotliOptions } from 'node:zlib';

// Pages are small; @fastify/compress pipes every answer through a zlib stream, and setting one up
// per page cost more than the page's own rendering (docs/benchmarks.md). Compressing a finished
// string in one synchronous call is several times cheaper. Static files and cached pages
// (page-cache.ts) are compressed once and kept. Everything else still goes through @fastify/compress.

export type Encoding = 'br' | 'gzip';

/** Below this, compression saves less than the work it costs. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * The first encoding of `prefer` that the client accepts, honouring `q=0`. The default, gzip
 * first, is for bodies compressed per answer (pages with a form token): measured on a 6 KB page,
 * a synchronous brotli call costs several times a gzip call for about the same size. Bodies
 * compressed once and kept (static files, cached pages) use `STATIC_PREFERENCE`: brotli at its
 * best quality first, since its cost is paid once and its answers are smaller.
 */
export function pickEncoding(acceptEncoding: string | string[] | undefined, prefer: readonly Encoding[] = ['gzip', 'br']): Encoding | undefined {
  if (typeof acceptEncoding !== 'string' || acceptEncoding === '') return undefined;
  let br = false;
  let gzip = false;
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (name === 'br') br = true;
    else if (name === 'gzip' || name === 'x-gzip') gzip = true;
    else if (name === '*') br = gzip = true;
  }
  return prefer.find((e) => (e === 'br' ? br : gzip));
}

const brotliOptions = (body: string | Buffer, quality: number): BrotliOptions => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body) },
});
const GZIP = { level: 6 };

/** gzip at level 6, or brotli at `quality` (4 per answer, as @fastify/compress does; 11 for what is kept). */
export function encode(body: string | Buffer, encoding: Encoding, quality = 4): Buffer {
  return encoding === 'br' ? brotliCompressSync(body, brotliOptions(body, quality)) : gzipSync(body, GZIP);
}

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * `encode` in libuv's thread pool, for bodies compressed once and kept whose size is not known in
 * advance: brotli 11 takes seconds for a page of a megabyte or two (the API reference of many
 * modules), which done in line would hold up every other request for as long.
 */
export function encodeAsync(body: string | Buffer, encoding: Encoding, quality = 4): Promise<Buffer> {
  return encoding === 'br' ? brotliAsync(body, brotliOptions(body, quality)) : gzipAsync(body, GZIP);
}

/** For bodies compressed once and kept (static files, cached pages): brotli first. */
export const STATIC_PREFERENCE: readonly Encoding[] = ['br', 'gzip'];

/** Compressed copies of immutable content, made once (brotli at its best quality) and kept for the process. */
export function precompressed(body: string | Buffer): (encoding: Encoding) => Buffer {
  const copies: Partial<Record<Encoding, Buffer>> = {};
  return (encoding) => (copies[encoding] ??= encode(body, encoding, 11));
}
