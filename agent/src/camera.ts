// Cameras: one photo per `capture()`, as JPEG (or PNG) file bytes.
// - `ffmpeg:/dev/video0`: a V4L2 webcam through Debian's ffmpeg, one JPEG frame per call.
// - `folder:<dir>`: the JPEG and PNG files of a folder in turn, for development and tests.
// A camera that is not there says why in `check()`; the agent then runs without one.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface Camera {
  /** for logs: "ffmpeg:/dev/video0" */
  readonly description: string;
  /** undefined when the camera can take photos, otherwise why not */
  check(): Promise<string | undefined>;
  capture(signal?: AbortSignal): Promise<Buffer>;
}

export interface FfmpegCameraOptions {
  device: string;
  ffmpegPath?: string;
  width?: number;
  height?: number;
  timeoutMs?: number;
}

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);
const STDERR_KEPT = 400;

export class FfmpegCamera implements Camera {
  readonly description: string;

  constructor(private readonly options: FfmpegCameraOptions) {
    this.description = `ffmpeg:${options.device}`;
  }

  async check(): Promise<string | undefined> {
    try {
      await fs.access(this.options.device, fs.constants.R_OK);
    } catch (error) {
      return `${this.options.device} is not there or not readable (${(error as NodeJS.ErrnoException).code})`;
    }
    const ffmpeg = await this.run(['-hide_banner', '-version']).catch((error: Error) => error);
    if (ffmpeg instanceof Error) return `ffmpeg cannot run: ${ffmpeg.message}`;
    return undefined;
  }

  capture(signal?: AbortSignal): Promise<Buffer> {
    const { device, width = 640, height = 480 } = this.options;
    return this.run(
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-f',
        'v4l2',
        '-video_size',
        `${width}x${height}`,
        '-i',
        device,
        '-frames:v',
        '1',
        '-c:v',
        'mjpeg',
        '-f',
        'image2pipe',
        '-',
      ],
      signal,
    ).then((image) => {
      if (!image.subarray(0, 3).equals(JPEG_START)) throw new Error(`ffmpeg gave ${image.length} bytes that are not a JPEG`);
      return image;
    });
  }

  /** ffmpeg's stdout, or an error with the end of its stderr */
  private run(args: string[], signal?: AbortSignal): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.ffmpegPath ?? 'ffmpeg', args, { stdio: ['ignore', 'pipe', 'pipe'], signal, timeout: this.options.timeoutMs ?? 5_000 });
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => {
        err = (err + chunk.toString('utf8')).slice(-STDERR_KEPT);
      });
      child.on('error', reject);
      child.on('close', (code, killedBy) => {
        if (code === 0) resolve(Buffer.concat(out));
        else reject(new Error(`ffmpeg ${killedBy ? `killed by ${killedBy}` : `exited with ${code}`}: ${err.trim() || 'no message'}`));
      });
    });
  }
}

const IMAGE_FILE = /\.(jpe?g|png)$/i;

export class FolderCamera implements Camera {
  readonly description: string;
  private next = 0;

  constructor(private readonly directory: string) {
    this.description = `folder:${directory}`;
  }

  private async images(): Promise<string[]> {
    const names = await fs.readdir(this.directory);
    return names.filter((name) => IMAGE_FILE.test(name)).sort();
  }

  async check(): Promise<string | undefined> {
    try {
      const images = await this.images();
      return images.length > 0 ? undefined : `${this.directory} holds no .jpg, .jpeg or .png file`;
    } catch (error) {
      return `${this.directory} cannot be read (${(error as NodeJS.ErrnoException).code})`;
    }
  }

  async capture(): Promise<Buffer> {
    const images = await this.images();
    if (images.length === 0) throw new Error(`${this.directory} holds no image`);
    const name = images[this.next % images.length]!;
    this.next += 1;
    return fs.readFile(path.join(this.directory, name));
  }
}

/** `ffmpeg:<device>`, `folder:<dir>` or `none` */
export function cameraFromSpec(spec: string): Camera | undefined {
  if (spec === 'none' || spec === '') return undefined;
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const where = colon < 0 ? '' : spec.slice(colon + 1);
  if (kind === 'ffmpeg') return new FfmpegCamera({ device: where || '/dev/video0' });
  if (kind === 'folder' && where) return new FolderCamera(where);
  throw new Error(`camera "${spec}": expected ffmpeg:/dev/videoN, folder:<directory> or none`);
}
