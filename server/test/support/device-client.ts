// A kiosk device as the tests see it: the real gRPC client on the same proto the server loads,
// sending the device credentials as call metadata, plus a provisioned kiosk to use it with.
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { loadKioskProto } from '../../src/modules/devices/devices.grpc.js';
import type { TestServer } from './test-server.js';

export interface DeviceCredentials {
  loginId: string;
  secret: string;
}

export interface ProvisionedKiosk extends DeviceCredentials {
  kioskId: string;
  /** the kiosk's HTTP access token (its screen) */
  token: string;
}

/** a new kiosk of the owner's store, with its device credentials and a signed-in screen */
export async function provisionKiosk(server: TestServer, storeId: string, ownerToken: string, name = 'device'): Promise<ProvisionedKiosk> {
  const created = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: ownerToken, body: { name } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const credentials = created.body.credentials as DeviceCredentials;
  const login = await server.api('POST', '/api/auth/kiosk-login', { body: credentials });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { ...credentials, kioskId: created.body.kiosk.id, token: login.body.accessToken };
}

export interface Command {
  sequence: number;
  kind: 'settings' | 'capture' | 'wake' | 'reset' | 'stopMeasuring' | 'startMeasuring' | 'charge' | 'voidPayment' | 'refundPayment' | 'printReceipt';
  settings?: Record<string, number>;
  capture?: { captureId: string; frames: number; intervalMs: number };
  wake?: { brightness: number };
  reset?: { reason: string };
  charge?: { paymentId: string; orderId: string; orderNumber: number; amount: number; cardTimeoutMs: number; confirmByMs: number };
  voidPayment?: { paymentId: string; reason: string };
  refundPayment?: { refundId: string; paymentId: string; approvalNumber: string; amount: number };
  printReceipt?: {
    receiptId: string;
    lines: Array<{ style: 'NORMAL' | 'BOLD' | 'LARGE' | 'RULE'; align: 'LEFT' | 'CENTER' | 'RIGHT'; text: string; right: string }>;
    qrUrl: string;
  };
}

/** proto PeripheralStatus, enums by name */
export interface PeripheralState {
  printer: 'PRINTER_NONE' | 'PRINTER_READY' | 'PRINTER_PAPER_OUT' | 'PRINTER_OFFLINE' | 'PRINTER_PAPER_LOW';
  terminal: 'TERMINAL_NONE' | 'TERMINAL_READY' | 'TERMINAL_OFFLINE';
}

export interface CommandStream {
  commands: Command[];
  /** the first command (already received or coming) that matches */
  next(predicate: (command: Command) => boolean, what?: string): Promise<Command>;
  /** how the stream ended */
  ended: Promise<{ code: grpc.status; details: string }>;
  cancel(): void;
}

const WAIT_MS = 30_000;

export class DeviceClient {
  private readonly client: grpc.Client & Record<string, any>;

  constructor(
    address: string,
    private readonly credentials: Partial<DeviceCredentials> | undefined,
  ) {
    const proto = loadKioskProto() as any;
    const Client = proto.pinokio.device.v1.KioskDevice as grpc.ServiceClientConstructor;
    this.client = new Client(address, grpc.credentials.createInsecure(), {
      'grpc.max_send_message_length': 256 * 1_048_576,
    }) as grpc.Client & Record<string, any>;
  }

  private metadata(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    if (this.credentials?.loginId !== undefined) metadata.set('x-kiosk-id', this.credentials.loginId);
    if (this.credentials?.secret !== undefined) metadata.set('x-kiosk-secret', this.credentials.secret);
    return metadata;
  }

  private unary<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method](request, this.metadata(), (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response)));
    });
  }

  reportDistance(readings: Array<number | { centimetres: number; measuredAtMs?: number }>): Promise<{ accepted: number; present: boolean }> {
    return this.unary('ReportDistance', {
      readings: readings.map((reading) =>
        typeof reading === 'number' ? { centimetres: reading, measuredAtMs: Date.now() } : { measuredAtMs: Date.now(), ...reading },
      ),
    });
  }

  sendFrames(images: Uint8Array[], captureId = ''): Promise<{ accepted: number; faceFound: boolean; analysisId: string }> {
    return this.unary('SendFrames', { captureId, frames: images.map((image) => ({ image: Buffer.from(image), capturedAtMs: Date.now() })) });
  }

  /** the card terminal's and receipt printer's state (ReportPeripherals) */
  reportPeripherals(state: PeripheralState): Promise<Record<string, never>> {
    return this.unary('ReportPeripherals', state);
  }

  /** the outcome of a PrintReceipt command (ReportPrint) */
  reportPrint(receiptId: string, outcome: 'PRINTED' | 'PAPER_OUT' | 'OFFLINE'): Promise<Record<string, never>> {
    return this.unary('ReportPrint', { receiptId, outcome });
  }

  /** what the card terminal said (ReportPayment); the server's PaymentDecision */
  reportPayment(report: {
    paymentId: string;
    outcome: 'APPROVED' | 'DECLINED' | 'TIMED_OUT' | 'CARD_REMOVED' | 'VOIDED' | 'VOID_FAILED' | 'REFUNDED' | 'REFUND_FAILED';
    amount?: number;
    approvalNumber?: string;
    terminalReference?: string;
    message?: string;
  }): Promise<{ action: 'ACKNOWLEDGED' | 'CONFIRMED' | 'VOID'; orderNumber: number; reason: string }> {
    return this.unary('ReportPayment', { occurredAtMs: Date.now(), ...report });
  }

  /** opens the command stream; the device says it has a camera and a distance sensor unless told otherwise */
  connect(device: { hasCamera?: boolean; hasDistanceSensor?: boolean; hasCardTerminal?: boolean; hasReceiptPrinter?: boolean } = {}): CommandStream {
    const request = { agentVersion: 'test', hasCamera: true, hasDistanceSensor: true, ...device };
    const call = this.client.Connect(request, this.metadata()) as grpc.ClientReadableStream<any>;
    const commands: Command[] = [];
    const waiters: Array<{ predicate: (command: Command) => boolean; resolve: (command: Command) => void }> = [];
    let endedWith: { code: grpc.status; details: string } | undefined;
    const endWaiters: Array<(status: { code: grpc.status; details: string }) => void> = [];
    const finish = (status: { code: grpc.status; details: string }) => {
      if (endedWith) return;
      endedWith = status;
      for (const waiter of endWaiters.splice(0)) waiter(status);
    };
    call.on('data', (raw: any) => {
      const command: Command = { ...raw, sequence: Number(raw.sequence), kind: raw.kind };
      commands.push(command);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(command)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(command);
        }
      }
    });
    call.on('error', (error: grpc.ServiceError) => finish({ code: error.code, details: error.details }));
    call.on('status', (status: grpc.StatusObject) => finish({ code: status.code, details: status.details }));
    return {
      commands,
      next(predicate, what = 'a command') {
        const seen = commands.find(predicate);
        if (seen) return Promise.resolve(seen);
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no ${what} on the Connect stream; got ${JSON.stringify(commands.map((c) => c.kind))}`)), WAIT_MS);
          waiters.push({ predicate, resolve: (command) => (clearTimeout(timer), resolve(command)) });
        });
      },
      ended: new Promise((resolve) => (endedWith ? resolve(endedWith) : endWaiters.push(resolve))),
      cancel: () => call.cancel(),
    };
  }

  close(): void {
    this.client.close();
  }
}

/** asserts a gRPC call failed with this status and stable code (the details start with "code: ") */
export async function assertGrpcError(promise: Promise<unknown>, status: grpc.status, code: string): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    const failure = error as grpc.ServiceError;
    assert.equal(failure.code, status, `expected status ${grpc.status[status]}, got ${grpc.status[failure.code]}: ${failure.details}`);
    assert.ok(failure.details.startsWith(`${code}: `), `expected code ${code}, got "${failure.details}"`);
    return failure;
  }
  assert.fail(`expected ${grpc.status[status]} ${code}, but the call succeeded`);
}
