// Reads ESC/POS bytes back into receipts, as a printer would print them: the fake printer's half
// of escpos.ts (and a way to read what went to a device file). Knows the commands escpos.ts sends
// and skips the other common ones by their length; bytes may arrive in any chunks.
import iconv from 'iconv-lite';
import { KOREA_CHARACTER_SET } from './escpos.js';

export interface DecodedLine {
  text: string;
  bold: boolean;
  large: boolean;
  align: 'left' | 'center' | 'right';
}

export interface DecoderEvents {
  /** a cut: the receipt's lines */
  receipt(lines: DecodedLine[]): void;
  /** DLE EOT n: a real-time status request */
  statusRequest(n: number): void;
}

const ALIGNS = ['left', 'center', 'right'] as const;
/** ESC commands with one parameter byte that change nothing we read */
const ESC_ONE_BYTE = new Set([0x20, 0x21, 0x2d, 0x33, 0x4a, 0x4d, 0x56, 0x63, 0x64, 0x65, 0x74, 0x7b, 0x47, 0x55]);

export class EscPosDecoder {
  private buffer = Buffer.alloc(0);
  private lines: DecodedLine[] = [];
  private row = '';
  private bold = false;
  private large = false;
  private align: DecodedLine['align'] = 'left';
  private doubleByte = false;
  private characterSet = 0;
  private qrData: Buffer | undefined;

  constructor(private readonly events: DecoderEvents) {}

  /** the lines printed since the last cut, the current row included */
  get unfinished(): DecodedLine[] {
    return this.row ? [...this.lines, this.line()] : [...this.lines];
  }

  write(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    let at = 0;
    for (;;) {
      const used = this.step(this.buffer, at);
      if (used === 0) break; // an incomplete command: wait for more bytes
      at += used;
    }
    this.buffer = this.buffer.subarray(at);
  }

  private line(): DecodedLine {
    return { text: this.row.trimEnd(), bold: this.bold, large: this.large, align: this.align };
  }

  private endRow(): void {
    this.lines.push(this.line());
    this.row = '';
  }

  private reset(): void {
    this.bold = false;
    this.large = false;
    this.align = 'left';
    this.doubleByte = false;
    this.characterSet = 0;
  }

  /** bytes used from `at`, 0 when the command there is not complete yet */
  private step(bytes: Buffer, at: number): number {
    const left = bytes.length - at;
    if (left <= 0) return 0;
    const byte = bytes[at]!;
    const next = bytes[at + 1];
    switch (byte) {
      case 0x0a:
        this.endRow();
        return 1;
      case 0x10: // DLE
        if (left < 3) return 0;
        if (next === 0x04) this.events.statusRequest(bytes[at + 2]!);
        return 3;
      case 0x1b: // ESC
        if (left < 2) return 0;
        return this.escape(bytes, at, left);
      case 0x1c: // FS
        if (left < 2) return 0;
        if (next === 0x26) this.doubleByte = true;
        else if (next === 0x2e) this.doubleByte = false;
        else if (next === 0x21 || next === 0x43 || next === 0x57) return left < 3 ? 0 : 3;
        return 2;
      case 0x1d: // GS
        if (left < 2) return 0;
        return this.groupSeparator(bytes, at, left);
    }
    if (byte < 0x20 || byte === 0x7f) return 1;
    if (byte < 0x80) {
      this.row += byte === 0x5c && this.characterSet === KOREA_CHARACTER_SET ? '₩' : String.fromCharCode(byte);
      return 1;
    }
    if (!this.doubleByte) {
      this.row += '?'; // a single-byte code page we do not read
      return 1;
    }
    if (left < 2) return 0;
    this.row += iconv.decode(bytes.subarray(at, at + 2), 'cp949');
    return 2;
  }

  private escape(bytes: Buffer, at: number, left: number): number {
    const command = bytes[at + 1]!;
    if (command === 0x40) {
      this.reset();
      return 2;
    }
    if (left < 3) return command === 0x40 ? 2 : 0;
    const n = bytes[at + 2]!;
    switch (command) {
      case 0x45: // ESC E
        this.bold = (n & 1) === 1;
        return 3;
      case 0x61: // ESC a
        this.align = ALIGNS[n % 48] ?? 'left';
        return 3;
      case 0x52: // ESC R
        this.characterSet = n;
        return 3;
      default:
        return ESC_ONE_BYTE.has(command) ? 3 : 2;
    }
  }

  private groupSeparator(bytes: Buffer, at: number, left: number): number {
    const command = bytes[at + 1]!;
    if (command === 0x21) {
      // GS !
      if (left < 3) return 0;
      this.large = bytes[at + 2]! !== 0;
      return 3;
    }
    if (command === 0x56) {
      // GS V m [n]: a cut ends the receipt
      if (left < 3) return 0;
      const m = bytes[at + 2]!;
      const length = [65, 66, 97, 98, 103, 104].includes(m) ? 4 : 3;
      if (left < length) return 0;
      this.cut();
      return length;
    }
    if (command === 0x28) {
      // GS ( x pL pH data
      if (left < 5) return 0;
      const length = bytes[at + 3]! + bytes[at + 4]! * 256;
      if (left < 5 + length) return 0;
      if (bytes[at + 2] === 0x6b) this.qr(bytes.subarray(at + 5, at + 5 + length));
      return 5 + length;
    }
    return left < 3 ? 0 : 3; // GS B, GS L and other one-parameter commands
  }

  /** GS ( k: cn = 0x31 (QR); fn 0x50 stores, 0x51 prints */
  private qr(body: Buffer): void {
    if (body[0] !== 0x31) return;
    if (body[1] === 0x50) this.qrData = Buffer.from(body.subarray(3));
    else if (body[1] === 0x51 && this.qrData) {
      if (this.row) this.endRow();
      this.lines.push({ text: `[QR] ${this.qrData.toString('utf8')}`, bold: false, large: false, align: this.align });
    }
  }

  private cut(): void {
    if (this.row) this.endRow();
    const lines = this.lines;
    this.lines = [];
    // the feed before the cut is paper, not text
    while (lines.length > 0 && lines[lines.length - 1]!.text === '') lines.pop();
    this.qrData = undefined;
    this.events.receipt(lines);
  }
}

/** the receipt as text: one line per printed row, the QR code as `[QR] <data>` */
export function receiptText(lines: DecodedLine[]): string {
  return lines.map((line) => line.text).join('\n');
}
