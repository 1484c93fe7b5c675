// The original service's preprocessing (OpenCV: grayscale -> equalizeHist -> GaussianBlur 5x5),
// redone in plain JS on the RGB frame so no OpenCV build is needed. It is OFF by default: on these
// models it did not help (bench/face-quality.bench.ts, figure 4; docs/faces.md).
import type { RgbFrame } from './engine.js';

export type Preprocessing = 'none' | 'original';

export function preprocess(frame: RgbFrame, mode: Preprocessing): RgbFrame {
  if (mode === 'none') return frame;
  const grey = blur5x5(equalizeHistogram(toGrey(frame)), frame.width, frame.height);
  // the models read three channels: repeat the grey one
  const data = new Uint8Array(grey.length * 3);
  for (let i = 0, j = 0; i < grey.length; i += 1, j += 3) data[j] = data[j + 1] = data[j + 2] = grey[i]!;
  return { data, width: frame.width, height: frame.height };
}

/** ITU-R BT.601 luma, as OpenCV's COLOR_RGB2GRAY */
function toGrey({ data, width, height }: RgbFrame): Uint8Array {
  const grey = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < grey.length; i += 1, j += 3) {
    grey[i] = Math.round(0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!);
  }
  return grey;
}

/** as OpenCV's equalizeHist: map each level through the normalised cumulative histogram */
function equalizeHistogram(grey: Uint8Array): Uint8Array {
  const histogram = new Uint32Array(256);
  for (const value of grey) histogram[value]! += 1;
  let firstLevelCount = 0;
  for (const count of histogram) {
    if (count > 0) {
      firstLevelCount = count;
      break;
    }
  }
  const total = grey.length;
  if (total === firstLevelCount) return grey; // one flat level: nothing to stretch
  const lookup = new Uint8Array(256);
  const scale = 255 / (total - firstLevelCount);
  let cumulative = 0;
  for (let level = 0; level < 256; level += 1) {
    cumulative += histogram[level]!;
    lookup[level] = Math.max(0, Math.min(255, Math.round((cumulative - firstLevelCount) * scale)));
  }
  const out = new Uint8Array(total);
  for (let i = 0; i < total; i += 1) out[i] = lookup[grey[i]!]!;
  return out;
}

/** separable [1 4 6 4 1]/16 kernel (OpenCV's 5x5 Gaussian with sigma 0), edges replicated */
function blur5x5(grey: Uint8Array, width: number, height: number): Uint8Array {
  const kernel = [1, 4, 6, 4, 1];
  const pass = (source: Uint8Array, step: number, along: number, across: number): Uint8Array => {
    const out = new Uint8Array(source.length);
    const stride = step === 1 ? width : 1;
    for (let a = 0; a < across; a += 1) {
      const base = a * stride;
      for (let i = 0; i < along; i += 1) {
        let sum = 0;
        for (let k = -2; k <= 2; k += 1) {
          const at = Math.min(along - 1, Math.max(0, i + k));
          sum += kernel[k + 2]! * source[base + at * step]!;
        }
        out[base + i * step] = (sum + 8) >> 4;
      }
    }
    return out;
  };
  return pass(pass(grey, 1, width, height), width, height, width);
}
