import QRCode from 'qrcode';

/** A QR code of `text` as an SVG data URI, for an `<img>` with its own alt text (pages need no script for it). */
export async function qrDataUri(text: string, errorCorrectionLevel: 'L' | 'M' = 'M'): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel, margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
