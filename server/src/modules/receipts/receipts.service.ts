// Receipts (docs/payments.md, "Receipts"): the digital receipt behind an unguessable, expiring link,
// and the paper one, laid out here and printed by the kiosk's agent (PrintReceipt on its command
// stream). Only the link's sha-256 is stored; the link itself is derived from the receipt's random
// id under a server key, so the same link can be given again (a reprint, a reloaded kiosk screen)
// without keeping it anywhere.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { Cache } from '../../platform/cache/cache.js';
import { enforceLimits } from '../../platform/cache/rate-limit.js';
import type { Database } from '../../platform/db/database.js';
import type { ReceiptPrintState } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/http/errors.js';
import { localDateTime } from '../../platform/time/local-date.js';
import { formatRegistrationNumber, printerLines, type ReceiptContent, type ReceiptLine } from './receipt-layout.js';
import { ReceiptsRepository } from './receipts.repository.js';
import { splitVat } from './vat.js';

export type PrintOutcome = 'printed' | 'paper_out' | 'offline';
/** what the kiosk is told about the paper receipt */
export type PrintView = 'printing' | PrintOutcome | 'none';
type PrinterStatus = 'ready' | 'paper_low' | 'paper_out' | 'offline' | 'none';

/** the devices module, as far as receipts need it (devices.service.ts) */
export interface ReceiptPrinters {
  /** to the kiosk's agent wherever it is connected */
  sendCommand(kioskId: string, command: { printReceipt: { receiptId: string; lines: ReceiptLine[]; qrUrl: string } }): Promise<void>;
  /** the printer as the agent last reported it, offline when the agent is not connected */
  peripheralsOf(kioskId: string): Promise<{ printer: PrinterStatus }>;
  /** whether the kiosk's agent holds its command stream open (on any instance) */
  isOnline(kioskId: string): Promise<boolean>;
}

/** the kiosk's own live stream (kiosk-live) */
export interface ReceiptScreens {
  publish(kioskId: string, event: { event: 'receipt'; data: { orderId: string; print: PrintView } }): Promise<unknown>;
}

export interface ReceiptsOptions {
  /** days a digital receipt's link works (RECEIPT_TOKEN_DAYS) */
  tokenDays: number;
  /** lookups of the public receipt route per client address per minute */
  lookupsPerIpPerMinute: number;
  /** the address customers reach (PUBLIC_URL): the link is `${publicUrl}/receipt/${token}` */
  publicUrl: string;
}

/** the digital receipt: what the paper one shows, nothing personal (no customer, no kiosk, no ids) */
export interface DigitalReceipt {
  store: { name: string; businessName: string | null; registrationNumber: string | null; address: string | null; phone: string | null; timeZone: string };
  order: { number: number; dining: 'eat_in' | 'take_out' | null; orderedAt: Date; orderedAtLocal: string; cancelled: boolean };
  lines: ReceiptContent['lines'];
  total: number;
  supplyValue: number;
  vat: number;
  payment: ReceiptContent['payment'] & { paidAtLocal: string | null };
  refunds: Array<{ amount: number; at: Date; atLocal: string }>;
  expiresAt: Date;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ReceiptsService {
  constructor(
    private readonly db: Database,
    private readonly cache: Cache,
    private readonly printers: ReceiptPrinters,
    private readonly screens: ReceiptScreens,
    /** 32 bytes, the same on every instance (server_secrets) */
    private readonly tokenKey: Buffer,
    private readonly options: ReceiptsOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The order's digital receipt link: made once per order (later calls give the same link, and
   * renew its expiry when it has run out). With `printOn` (a kiosk of the store whose agent is
   * connected and has a printer), the paper receipt is sent to that printer too, once per order and
   * kiosk. A printer out of paper or unplugged still gets it: its agent answers PAPER_OUT or OFFLINE
   * at once, and the kiosk's screen hears that as a `receipt` event.
   */
  async issue(storeId: string, orderId: string, options: { printOn?: string }): Promise<{ url: string; token: string; print: 'printing' | 'none' }> {
    const issued = await this.issueAndPrint(storeId, orderId, options.printOn, false);
    // a receipt printed before (a repeated call) counts as printing: its outcome, if any, was told already
    return { url: issued.url, token: issued.token, print: issued.print === 'none' ? 'none' : 'printing' };
  }

  private async issueAndPrint(
    storeId: string,
    orderId: string,
    printOn: string | undefined,
    reprint: boolean,
  ): Promise<{ url: string; token: string; print: PrintView }> {
    // read before the transaction: on PGlite (one connection) a read beside it would wait for it
    const canPrint = printOn !== undefined && (await this.canSendTo(printOn));
    const { token, print } = await this.db.transaction().execute(async (trx) => {
      const repository = new ReceiptsRepository(trx);
      const order = await repository.lockOrder(storeId, orderId);
      if (!order) throw orderNotFound();
      const expiresAt = new Date(this.now().getTime() + this.options.tokenDays * 86_400_000);
      let receipt = await repository.findByOrder(orderId);
      if (!receipt) {
        receipt = { id: randomUUID(), storeId, orderId, expiresAt };
        await repository.insert({ ...receipt, tokenHash: sha256(this.tokenOf(receipt.id)) });
      } else if (receipt.expiresAt <= this.now()) {
        await repository.extend(receipt.id, expiresAt);
      }
      let print: { id: string; fresh: boolean; state: ReceiptPrintState } | undefined;
      if (printOn) {
        const earlier = reprint ? undefined : await repository.latestPrint(orderId, printOn);
        if (earlier) print = { ...earlier, fresh: false };
        else if (canPrint) print = { id: await repository.insertPrint(orderId, printOn), fresh: true, state: 'sent' };
      }
      return { token: this.tokenOf(receipt.id), print };
    });
    const url = `${this.options.publicUrl.replace(/\/+$/, '')}/receipt/${token}`;
    if (!print) return { url, token, print: 'none' };
    if (print.fresh) {
      // after the commit: the agent's ReportPrint must find the row
      const content = (await new ReceiptsRepository(this.db).content(storeId, orderId))!;
      await this.printers.sendCommand(printOn!, { printReceipt: { receiptId: print.id, lines: printerLines(content, { withQr: true }), qrUrl: url } });
    }
    return { url, token, print: print.state === 'sent' ? 'printing' : print.state };
  }

  /** a kiosk with a printer whose agent is connected: a PrintReceipt reaches it and gets an answer */
  private async canSendTo(kioskId: string): Promise<boolean> {
    const [{ printer }, online] = await Promise.all([this.printers.peripheralsOf(kioskId), this.printers.isOnline(kioskId)]);
    return online && printer !== 'none';
  }

  /**
   * The POS prints the order's receipt again on the kiosk that took it (or another kiosk of the
   * store). 409 printer_unavailable when that kiosk's printer cannot print now.
   */
  async reprint(storeId: string, orderId: string, kioskId?: string): Promise<{ url: string; print: 'printing' }> {
    const repository = new ReceiptsRepository(this.db);
    const order = await repository.findOrder(storeId, orderId);
    if (!order) throw orderNotFound();
    const target = kioskId ?? order.kioskId;
    if (!target) throw printerUnavailable('This order was not placed at a kiosk: choose the kiosk whose printer should print it.');
    if (kioskId && !(await repository.isKioskOf(storeId, kioskId))) {
      throw new DomainError('not_found', 'kiosk_not_found', 'There is no such kiosk in this store.');
    }
    if (order.paymentStatus === 'pending') throw paymentPending();
    const printer = (await this.printers.peripheralsOf(target)).printer;
    if (printer !== 'ready' && printer !== 'paper_low') {
      const why = { none: 'has no receipt printer', offline: 'is offline', paper_out: 'is out of paper' }[printer];
      throw printerUnavailable(`The kiosk's printer ${why}.`, { printer });
    }
    const issued = await this.issueAndPrint(storeId, orderId, target, true);
    // the printer's state changed between the check and the sending
    if (issued.print !== 'printing') throw printerUnavailable("The kiosk's printer cannot print now.", { printer: issued.print });
    return { url: issued.url, print: 'printing' };
  }

  /**
   * The kiosk's own order's receipt: the link, and its paper receipt printed on this kiosk the first
   * time it is asked (a counter order's ticket; a card order's receipt was printed when it was paid).
   */
  async forKiosk(storeId: string, kioskId: string, orderId: string): Promise<{ url: string; print: PrintView }> {
    const order = await new ReceiptsRepository(this.db).findOrder(storeId, orderId);
    if (!order || order.kioskId !== kioskId) throw orderNotFound();
    if (order.paymentStatus === 'pending') throw paymentPending();
    const { url, print } = await this.issueAndPrint(storeId, orderId, kioskId, false);
    return { url, print };
  }

  /**
   * The agent's ReportPrint: the print's new state, and the kiosk's screen is told. A receipt id
   * that is not this kiosk's (or not a print at all) changes nothing.
   */
  async recordPrintOutcome(kioskId: string, receiptId: string, outcome: PrintOutcome): Promise<void> {
    if (!UUID.test(receiptId)) return;
    const print = await new ReceiptsRepository(this.db).setPrintState(receiptId, kioskId, outcome);
    if (!print) return;
    // the state is stored: a screen that misses the event still shows the receipt's QR code
    await this.screens.publish(kioskId, { event: 'receipt', data: { orderId: print.orderId, print: outcome } }).catch(() => undefined);
  }

  /**
   * The public digital receipt. A wrong token and an expired one get the same answer, so a guess
   * learns nothing; lookups are limited per client address.
   */
  async digital(token: string, clientAddress: string): Promise<DigitalReceipt> {
    await enforceLimits(this.cache, [{ key: `receipts:ip:${clientAddress}`, limit: this.options.lookupsPerIpPerMinute, windowSeconds: 60 }]);
    if (!TOKEN.test(token)) throw receiptNotFound();
    const repository = new ReceiptsRepository(this.db);
    const receipt = await repository.findByTokenHash(sha256(token));
    if (!receipt || receipt.expiresAt <= this.now()) throw receiptNotFound();
    const content = await repository.content(receipt.storeId, receipt.orderId);
    if (!content) throw receiptNotFound();
    const zone = content.store.timeZone;
    const { supplyValue, vat } = splitVat(content.total);
    return {
      store: {
        ...content.store,
        registrationNumber: content.store.registrationNumber && formatRegistrationNumber(content.store.registrationNumber),
      },
      order: { ...content.order, orderedAtLocal: localDateTime(zone, content.order.orderedAt) },
      lines: content.lines,
      total: content.total,
      supplyValue,
      vat,
      payment: { ...content.payment, paidAtLocal: content.payment.paidAt && localDateTime(zone, content.payment.paidAt) },
      refunds: content.refunds.map((refund) => ({ ...refund, atLocal: localDateTime(zone, refund.at) })),
      expiresAt: receipt.expiresAt,
    };
  }

  /** 32 bytes, base64url: unguessable without the server's key */
  private tokenOf(receiptId: string): string {
    return createHmac('sha256', this.tokenKey).update(`receipt:${receiptId}`).digest('base64url');
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function orderNotFound(): DomainError {
  return new DomainError('not_found', 'order_not_found', 'There is no such order in this store.');
}

function receiptNotFound(): DomainError {
  return new DomainError('not_found', 'receipt_not_found', 'There is no such receipt, or its link has expired. Ask the store for a new one.');
}

function paymentPending(): DomainError {
  return new DomainError('conflict', 'payment_pending', 'This order is still being paid; its receipt comes once it is paid.');
}

function printerUnavailable(message: string, details?: Record<string, unknown>): DomainError {
  return new DomainError('conflict', 'printer_unavailable', message, details);
}
