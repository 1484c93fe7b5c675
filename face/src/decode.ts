// Bytes from a camera -> an RGB frame the engine can read, with bounds checked before any pixel is
// decoded: JPEG and PNG only (by magic bytes, not by what the sender claims), a byte limit, a pixel
// limit read from the header, and a working size that large frames are shrunk to.
import sharp from 'sharp';
import type { RgbFrame } from './engine.js';
import { ImageError } from './face-analyzer.js';

export interface DecodeLimits {
  /** largest encoded frame accepted, in bytes (default 10 MiB) */
  maxBytes?: number;
  /** largest frame accepted, width x height (default 4096 x 4096) */
  maxPixels?: number;
  /** frames are shrunk so that their longer side is at most this (default 1280) */
  workingSize?: number;
}

export const defaultDecodeLimits: Required<DecodeLimits> = {
  maxBytes: 10 * 1024 * 1024,
  maxPixels: 4096 * 4096,
  workingSize: 1280,
};

export interface DecodedFrame extends RgbFrame {
  /** working size / original size (1 when not shrunk) */
  scale: number;
  originalWidth: number;
  originalHeight: number;
}

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function imageFormat(bytes: Uint8Array): 'jpeg' | 'png' | undefined {
  const starts = (magic: number[]) => bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
  if (starts(JPEG_MAGIC)) return 'jpeg';
  if (starts(PNG_MAGIC)) return 'png';
  return undefined;
}

export async function decodeFrame(bytes: Uint8Array, limits: DecodeLimits = {}, frameIndex?: number): Promise<DecodedFrame> {
  const { maxBytes, maxPixels, workingSize } = { ...defaultDecodeLimits, ...limits };
  const fail = (code: ImageError['code'], message: string) => new ImageError(code, message, frameIndex);

  if (bytes.length === 0) throw fail('image_empty', 'The frame is empty.');
  if (bytes.length > maxBytes) throw fail('image_too_large', `The frame is ${bytes.length} bytes; at most ${maxBytes} are accepted.`);
  const format = imageFormat(bytes);
  if (!format) throw fail('image_unsupported', 'The frame is neither a JPEG nor a PNG image.');

  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // header only: a 50-megapixel frame is refused before its pixels are decoded
  let width: number;
  let height: number;
  try {
    const metadata = await sharp(input).metadata();
    if (metadata.format !== format || !metadata.width || !metadata.height) throw new Error(`header says ${metadata.format}`);
    // EXIF orientations 5-8 turn the picture a quarter: width and height swap once it is upright
    const quarterTurn = (metadata.orientation ?? 1) >= 5;
    width = quarterTurn ? metadata.height : metadata.width;
    height = quarterTurn ? metadata.width : metadata.height;
  } catch (error) {
    throw fail('image_corrupt', `The ${format.toUpperCase()} header cannot be read (${(error as Error).message}).`);
  }
  if (width * height > maxPixels) {
    throw fail('image_too_large', `The frame is ${width}x${height} pixels; at most ${maxPixels} pixels are accepted.`);
  }

  try {
    // failOn 'warning': a truncated JPEG is an error, not a grey bottom half
    const { data, info } = await sharp(input, { limitInputPixels: maxPixels, failOn: 'warning' })
      .rotate() // honour EXIF orientation, as a phone or webcam photo is meant to be seen
      .resize({ width: workingSize, height: workingSize, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels`);
    return { data, width: info.width, height: info.height, scale: info.width / width, originalWidth: width, originalHeight: height };
  } catch (error) {
    throw fail('image_corrupt', `The ${format.toUpperCase()} image cannot be decoded (${(error as Error).message}).`);
  }
}
