// What the agent needs from a receipt printer: print a laid-out receipt and say how its paper is.
// escpos-printer.ts is the shipped driver; openReceiptPrinter picks it from the agent's option value.

export interface ReceiptLine {
  style: 'normal' | 'bold' | 'large' | 'rule';
  align: 'left' | 'center' | 'right';
  text: string;
  /** printed flush right on the same line (a price next to a name) */
  right?: string;
}

export interface ReceiptDocument {
  lines: ReceiptLine[];
  /** printed as a QR code under the lines (the digital receipt) */
  qrUrl?: string;
}

export type PrinterState = 'ready' | 'paper_low' | 'paper_out' | 'offline';

export interface ReceiptPrinter {
  readonly description: string;
  /** 'paper_out' and 'offline': nothing (or not all) was printed */
  print(document: ReceiptDocument): Promise<'printed' | 'paper_out' | 'offline'>;
  status(): Promise<PrinterState>;
  close(): Promise<void>;
}
