import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// Pages are small and made per request; @fastify/compress pipes every answer through a zlib
// stream, and setting one up per page cost more than the page's own rendering (docs/benchmarks.md).
// Compressing a finished string in one synchronous call is several times cheaper. Static files
// are compressed once and kept. Everything else still goes through @fastify/compress.

export type Encoding = 'br' | 'gzip';

/** Below this, compression saves less than the work it costs. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * The first encoding of `prefer` that the client accepts, honouring `q=0`. Pages made per request
 * prefer gzip: measured on a 6 KB page, a synchronous brotli call costs several times a gzip
 * call for about the same size. Files compressed once prefer brotli at its best quality.
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

/** gzip at level 6, or brotli at `quality` (4 per request, as @fastify/compress does; 11 once for files). */
export function encode(body: string | Buffer, encoding: Encoding, quality = 4): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: Buffer.byteLength(body) } })
    : gzipSync(body, { level: 6 });
}

export const STATIC_PREFERENCE: readonly Encoding[] = ['br', 'gzip'];

/** Compressed copies of immutable content, made once (brotli at its best quality) and kept for the process. */
export function precompressed(body: string | Buffer): (encoding: Encoding) => Buffer {
  const copies: Partial<Record<Encoding, Buffer>> = {};
  return (encoding) => (copies[encoding] ??= encode(body, encoding, 11));
}
