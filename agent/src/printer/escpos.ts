// ESC/POS bytes for a receipt, Korean included. The Korean printers (Bixolon, Sewoo, Epson's
// Korean models) print KS X 1001 (EUC-KR) two-byte codes once the double-byte mode is on:
//   ESC @         initialise (modes off, the double-byte mode too)
//   ESC R 13      the Korea international character set (0x5C prints as ₩)
//   FS &          double-byte (Korean) character mode: a lead byte 0xA1-0xFE and a second byte
//                 0xA1-0xFE print one Korean character, two columns wide
//   ESC a n       align left / centre / right (0, 1, 2)
//   ESC E n       bold on / off
//   GS ! 0x11     double width and height (LARGE); GS ! 0 back to normal
//   GS ( k        QR code: model 2, module size, error correction M, store the data, print it
//   GS V 66 0     feed to the cutter and cut (partial)
//   DLE EOT 4     real-time status of the paper roll sensor (see paperState)
// Layout is ours: lines are wrapped at the paper's columns by display width (a Korean character
// takes two), and `right` text is padded flush right.
import iconv from 'iconv-lite';
import type { PrinterState, ReceiptDocument, ReceiptLine } from './receipt-printer.js';

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;
const EOT = 0x04;
const LF = 0x0a;

export const KOREA_CHARACTER_SET = 13;
/** 80 mm paper, font A: 42 columns on 512-dot heads, 48 on 576-dot heads */
export const DEFAULT_COLUMNS = 42;
export const QR_MODULE_SIZE = 6;

export const STATUS_REQUEST = Buffer.from([DLE, EOT, 4]);
export const INIT = Buffer.from([ESC, 0x40]);
export const KOREAN_MODE = Buffer.from([ESC, 0x52, KOREA_CHARACTER_SET, FS, 0x26]);

const ALIGN = { left: 0, center: 1, right: 2 } as const;
const REPLACEMENT = Buffer.from('?');
const encoded = new Map<string, Buffer>();

/** one character's bytes in the printer's Korean mode; '?' for what it cannot print */
export function encodeCharacter(character: string): Buffer {
  const cached = encoded.get(character);
  if (cached) return cached;
  const code = character.codePointAt(0)!;
  let bytes: Buffer;
  if (character === '₩')
    bytes = Buffer.from([0x5c]); // the Korea set's 0x5C
  else if (character === '\\')
    bytes = iconv.encode('＼', 'cp949'); // 0x5C is ₩ here
  else if (code >= 0x20 && code < 0x7f) bytes = Buffer.from([code]);
  else if (code < 0x20 || code === 0x7f) bytes = Buffer.from(' ');
  else {
    const candidate = iconv.encode(character, 'cp949');
    // KS X 1001 only: CP949's extra syllables (lead byte below 0xA1) are not in the printers' fonts
    const ksx1001 = candidate.length === 2 && candidate[0]! >= 0xa1 && candidate[0]! <= 0xfe && candidate[1]! >= 0xa1 && candidate[1]! <= 0xfe;
    bytes = ksx1001 ? candidate : REPLACEMENT;
  }
  encoded.set(character, bytes);
  return bytes;
}

/** columns a text takes on the paper: a two-byte (Korean) character takes two */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += encodeCharacter(character).length;
  return width;
}

/** lines of at most `columns`, broken at spaces where a word fits */
export function wrap(text: string, columns: number): string[] {
  const rows: string[] = [];
  let row = '';
  let width = 0;
  for (const word of text.split(/( +)/)) {
    if (word === '') continue;
    const wordWidth = displayWidth(word);
    if (width + wordWidth <= columns) {
      row += word;
      width += wordWidth;
      continue;
    }
    if (row.trim() !== '') rows.push(row.trimEnd());
    row = '';
    width = 0;
    if (/^ +$/.test(word)) continue; // no spaces at the start of a row
    for (const character of word) {
      const characterWidth = displayWidth(character);
      if (width + characterWidth > columns) {
        rows.push(row);
        row = '';
        width = 0;
      }
      row += character;
      width += characterWidth;
    }
  }
  if (row.trim() !== '' || rows.length === 0) rows.push(row.trimEnd());
  return rows;
}

/** the rows of one receipt line at its own width (LARGE is twice as wide) */
export function layoutLine(line: ReceiptLine, columns: number): string[] {
  const width = line.style === 'large' ? Math.floor(columns / 2) : columns;
  if (line.style === 'rule') return ['-'.repeat(width)];
  if (line.right === undefined) return wrap(line.text, width);
  const right = line.right.slice(0, 64);
  const rightWidth = displayWidth(right);
  const rows = line.text === '' ? [''] : wrap(line.text, width);
  const last = rows[rows.length - 1]!;
  const gap = width - displayWidth(last) - rightWidth;
  if (gap >= 1 || (last === '' && gap >= 0)) rows[rows.length - 1] = last + ' '.repeat(gap) + right;
  else rows.push(' '.repeat(Math.max(0, width - rightWidth)) + right);
  return rows;
}

function text(row: string): Buffer {
  return Buffer.concat([...row].map(encodeCharacter));
}

function qrCode(data: string): Buffer {
  const payload = Buffer.from(data, 'utf8');
  const store = payload.length + 3;
  return Buffer.concat([
    Buffer.from([GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0]), // model 2
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, QR_MODULE_SIZE]), // module size
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31]), // error correction M
    Buffer.from([GS, 0x28, 0x6b, store & 0xff, store >> 8, 0x31, 0x50, 0x30]), // store
    payload,
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30]), // print
  ]);
}

/** the whole job: initialise, Korean mode, the lines, the QR code, feed and cut */
export function encodeReceipt(document: ReceiptDocument, columns = DEFAULT_COLUMNS): Buffer {
  const parts: Buffer[] = [INIT, KOREAN_MODE];
  for (const line of document.lines) {
    // a line with `right` is padded by us, so the printer keeps it left
    parts.push(Buffer.from([ESC, 0x61, line.right === undefined ? ALIGN[line.align] : ALIGN.left]));
    if (line.style === 'bold') parts.push(Buffer.from([ESC, 0x45, 1]));
    if (line.style === 'large') parts.push(Buffer.from([GS, 0x21, 0x11]));
    for (const row of layoutLine(line, columns)) parts.push(text(row), Buffer.from([LF]));
    if (line.style === 'bold') parts.push(Buffer.from([ESC, 0x45, 0]));
    if (line.style === 'large') parts.push(Buffer.from([GS, 0x21, 0]));
  }
  if (document.qrUrl) parts.push(Buffer.from([ESC, 0x61, ALIGN.center]), qrCode(document.qrUrl), Buffer.from([LF, ESC, 0x61, ALIGN.left]));
  parts.push(Buffer.from([GS, 0x56, 66, 0]));
  return Buffer.concat(parts);
}

/** a DLE EOT 4 answer byte (fixed bits 0xx1xx10) */
export function isStatusByte(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

/** DLE EOT 4: bits 2-3 set = the roll is near its end, bits 5-6 set = no paper */
export function paperState(byte: number): Exclude<PrinterState, 'offline'> {
  if ((byte & 0x60) === 0x60) return 'paper_out';
  if ((byte & 0x0c) === 0x0c) return 'paper_low';
  return 'ready';
}

/** the answer a printer in this state sends to DLE EOT 4 */
export function paperStatusByte(state: Exclude<PrinterState, 'offline'>): number {
  return 0x12 | (state === 'paper_low' ? 0x0c : 0) | (state === 'paper_out' ? 0x6c : 0);
}
