// Builds the evaluation images at bench time: each labelled photo (face-evaluation-set/labels.ts) cut
// out of its file, then synthetic variations of it (flip, rotation, brightness, JPEG quality, blur,
// crop, faces downscaled to 64-130 px), and the spoof simulations (a printed photo re-photographed, a
// phone screen held up). Nothing here is stored in the repository.
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { type LabelledPhoto, labelledPhotos } from '../face-evaluation-set/labels.js';
import { repoDir } from './child.js';

const humanDir = path.dirname(path.dirname(createRequire(path.join(repoDir, 'face/package.json')).resolve('@vladmandic/human')));

export function photoFile(photo: LabelledPhoto): string {
  if (photo.file.startsWith('human/')) return path.join(humanDir, photo.file.slice('human/'.length));
  return path.join(repoDir, photo.file);
}

/** the photo as a PNG, small tiles given a margin so the detector sees some background around the face */
export async function loadPhoto(photo: LabelledPhoto): Promise<Buffer> {
  let image = sharp(photoFile(photo)).removeAlpha();
  if (photo.region) image = image.extract(photo.region);
  const buffer = await image.png().toBuffer();
  const { width = 0, height = 0 } = await sharp(buffer).metadata();
  if (Math.max(width, height) >= 200) return buffer;
  // a 107 px tile is mostly face: pad it with its own edge colours to twice its size
  const padX = Math.round(width / 2);
  const padY = Math.round(height / 2);
  return sharp(buffer).extend({ top: padY, bottom: padY, left: padX, right: padX, extendWith: 'copy' }).png().toBuffer();
}

export interface Variation {
  name: string;
  /** variations in the default run; the rest run with --full */
  quick: boolean;
  apply(image: Buffer, faceHeight: number): Promise<Buffer>;
}

const jpeg95 = (image: Sharp) => image.jpeg({ quality: 95 }).toBuffer();
async function scaled(image: Buffer, factor: number): Promise<Buffer> {
  const { width = 0 } = await sharp(image).metadata();
  return jpeg95(sharp(image).resize({ width: Math.max(8, Math.round(width * factor)) }));
}

/** Variations of one photo; `faceHeight` is the face's height in the original (from its detection). */
export const variations: Variation[] = [
  { name: 'original', quick: true, apply: (image) => jpeg95(sharp(image)) },
  { name: 'flip', quick: true, apply: (image) => jpeg95(sharp(image).flop()) },
  { name: 'rotate +12°', quick: false, apply: (image) => jpeg95(sharp(image).rotate(12, { background: '#000' })) },
  { name: 'rotate -12°', quick: false, apply: (image) => jpeg95(sharp(image).rotate(-12, { background: '#000' })) },
  { name: 'brighter +40 %', quick: false, apply: (image) => jpeg95(sharp(image).modulate({ brightness: 1.4 })) },
  { name: 'darker -40 %', quick: true, apply: (image) => jpeg95(sharp(image).modulate({ brightness: 0.6 })) },
  { name: 'JPEG q20', quick: true, apply: (image) => sharp(image).jpeg({ quality: 20 }).toBuffer() },
  { name: 'blur σ1.5', quick: true, apply: (image) => jpeg95(sharp(image).blur(1.5)) },
  {
    name: 'crop 80 %',
    quick: false,
    apply: async (image) => {
      const { width = 0, height = 0 } = await sharp(image).metadata();
      const [w, h] = [Math.round(width * 0.8), Math.round(height * 0.8)];
      return jpeg95(sharp(image).extract({ left: Math.round((width - w) / 2), top: Math.round((height - h) / 6), width: w, height: h }));
    },
  },
  // a customer further from the camera: the face itself brought to a given height
  { name: 'face 68 px', quick: true, apply: (image, faceHeight) => scaled(image, Math.min(1, 68 / faceHeight)) },
  { name: 'face 96 px', quick: false, apply: (image, faceHeight) => scaled(image, Math.min(1, 96 / faceHeight)) },
  { name: 'face 130 px', quick: false, apply: (image, faceHeight) => scaled(image, Math.min(1, 130 / faceHeight)) },
];

/** A printed photo held up to the camera and re-photographed: less contrast and flatter light (paper
 * has no dynamic range), a halftone screen beating with the camera's pixels (moiré), the print on a
 * desk background, slightly tilted, soft focus, JPEG from the camera. */
export async function printedPhoto(image: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const period = 3.3;
  const screen = Buffer.alloc(width * height);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1)
      screen[y * width + x] = 128 + 40 * Math.sin((2 * Math.PI * (x + 0.6 * y)) / period) * Math.cos((2 * Math.PI * (y - 0.3 * x)) / period);
  const screenPng = await sharp(screen, { raw: { width, height, channels: 1 } })
    .toColourspace('srgb')
    .png()
    .toBuffer();
  const print = await sharp(image)
    .linear(0.7, 45)
    .modulate({ saturation: 0.8 })
    .composite([{ input: screenPng, blend: 'soft-light' }])
    .png()
    .toBuffer();
  const margin = Math.round(width * 0.25);
  const onDesk = await sharp(print)
    .extend({ top: 12, bottom: 12, left: 12, right: 12, background: '#f4f1ea' }) // the paper's white border
    .rotate(4, { background: '#6b5a48' })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: '#6b5a48' }) // the desk
    .png()
    .toBuffer();
  return sharp(onDesk).blur(0.8).jpeg({ quality: 70 }).toBuffer();
}

/** A phone screen held up to the camera: the photo inside a black bezel, the screen's pixel grid
 * (moiré), a diagonal glare, the phone in a hand-coloured surround, JPEG from the camera. */
export async function phoneScreen(image: Buffer): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(image).metadata();
  const grid = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 4;
      const line = x % 3 === 2 || y % 3 === 2 ? 1 : 0;
      const glare = Math.max(0, 1 - Math.abs((x - y * 0.8 - width * 0.3) / (width * 0.12)));
      grid[i] = grid[i + 1] = grid[i + 2] = line ? 0 : 255;
      grid[i + 3] = Math.round(255 * Math.min(0.85, 0.18 * line + 0.55 * glare));
    }
  const overlay = await sharp(grid, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  const bezel = Math.round(width * 0.06);
  const screen = await sharp(image)
    .modulate({ brightness: 1.1, saturation: 1.2 })
    .composite([{ input: overlay }])
    .extend({ top: bezel * 2, bottom: bezel * 2, left: bezel, right: bezel, background: '#0b0b0b' })
    .png()
    .toBuffer();
  const surround = Math.round(width * 0.3);
  return sharp(screen)
    .rotate(-3, { background: '#c8a58a' })
    .extend({ top: surround, bottom: surround, left: surround, right: surround, background: '#8f8a84' })
    .blur(0.6)
    .jpeg({ quality: 75 })
    .toBuffer();
}

export { labelledPhotos, type LabelledPhoto };
