// The fake receipt printer lives in agent/src so the demo can run it too (fake-printer-main.ts).
export { FakePrinter } from '../../src/printer/fake-printer.js';
export { type DecodedLine, EscPosDecoder, receiptText } from '../../src/printer/escpos-decoder.js';
