// The kiosk's screen brightness (the server's Wake and Reset commands). Always logged; with a
// command configured (for example `ddcutil setvcp 10 {brightness}` or a write to
// /sys/class/backlight/*/brightness), that command runs too, with the level in place of
// `{brightness}` and in the environment as PINOKIO_BRIGHTNESS.
import { execFile } from 'node:child_process';
import type { Logger } from './log.js';

export interface Display {
  setBrightness(level: number, reason: string): Promise<void>;
}

export class CommandDisplay implements Display {
  constructor(
    private readonly log: Logger,
    private readonly command: string | undefined,
    private readonly timeoutMs = 5_000,
  ) {}

  async setBrightness(level: number, reason: string): Promise<void> {
    const brightness = Math.max(0, Math.min(100, Math.round(level)));
    this.log.info('display.brightness', { brightness, reason });
    if (!this.command) return;
    const command = this.command.replaceAll('{brightness}', String(brightness));
    await new Promise<void>((resolve) => {
      execFile(
        '/bin/sh',
        ['-c', command],
        { timeout: this.timeoutMs, env: { ...process.env, PINOKIO_BRIGHTNESS: String(brightness) } },
        (error, _stdout, stderr) => {
          if (error) this.log.warn('display.command_failed', { error, stderr: stderr.trim().slice(-200) });
          resolve();
        },
      );
    });
  }
}
