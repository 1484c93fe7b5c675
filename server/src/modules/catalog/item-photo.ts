// An item's photo: the uploaded bytes are checked by their content (never by the name or the
// declared type), decoded with sharp within a pixel budget, turned upright, and written anew as two
// WebP sizes without any metadata (no EXIF, no GPS). Nothing here touches storage or the database.
import sharp from 'sharp';
import { DomainError } from '../../platform/http/errors.js';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTO_PIXELS = 40_000_000;
const CARD_SIZE = 640;
const THUMB_SIZE = 200;
const WEBP_QUALITY = 80;

export type PhotoFormat = 'jpeg' | 'png' | 'webp';

export interface RenderedPhoto {
  /** at most 640x640, for the item's card */
  card: Buffer;
  /** at most 200x200, for lists */
  thumb: Buffer;
  contentType: 'image/webp';
}

/** the image format by the file's first bytes; undefined for anything else */
export function sniffPhotoFormat(bytes: Buffer): PhotoFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return undefined;
}

export async function renderItemPhoto(bytes: Buffer): Promise<RenderedPhoto> {
  if (!sniffPhotoFormat(bytes)) {
    throw new DomainError('unsupported', 'unsupported_image', 'The photo must be a JPEG, PNG or WebP image.');
  }
  try {
    // failOn 'warning': a truncated or damaged file is refused rather than half-drawn
    const card = await sharp(bytes, { limitInputPixels: MAX_PHOTO_PIXELS, failOn: 'warning' })
      .rotate() // upright by its EXIF orientation, which is then dropped with the rest of the metadata
      .resize(CARD_SIZE, CARD_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: WEBP_QUALITY })
      .toBuffer();
    // the thumbnail from the (small, upright, already decoded-once) card
    const thumb = await sharp(card).resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).webp({ quality: WEBP_QUALITY }).toBuffer();
    return { card, thumb, contentType: 'image/webp' };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new DomainError('too_large', 'image_too_large', `The photo has too many pixels: at most ${MAX_PHOTO_PIXELS / 1_000_000} megapixels.`, {
        maxPixels: MAX_PHOTO_PIXELS,
      });
    }
    throw new DomainError('invalid', 'corrupt_image', 'The photo could not be read: the file is damaged or incomplete.');
  }
}
