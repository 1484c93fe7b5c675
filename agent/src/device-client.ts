// The gRPC side of proto/kiosk.proto as the device sees it: every call carries the kiosk's
// credentials in its metadata (x-kiosk-id, x-kiosk-secret), over TLS when configured.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

// The messages as @grpc/proto-loader gives them (camelCase fields, int64 as numbers, `kind` names
// the command's oneof).
export interface Settings {
  sampleIntervalMs: number;
  arriveBelowCm: number;
  arriveConsecutive: number;
  arriveToleranceCm: number;
  leaveAfterMs: number;
  framesPerCapture: number;
  frameIntervalMs: number;
}

export interface Command {
  sequence: number;
  kind?: 'settings' | 'capture' | 'wake' | 'reset' | 'stopMeasuring' | 'startMeasuring' | 'charge' | 'voidPayment' | 'refundPayment' | 'printReceipt';
  settings?: Settings;
  capture?: { captureId: string; frames: number; intervalMs: number };
  wake?: { brightness: number };
  reset?: { reason: string };
  stopMeasuring?: { reason: string };
  startMeasuring?: Record<string, never>;
  charge?: ChargeCommand;
  voidPayment?: { paymentId: string; reason: string };
  refundPayment?: { refundId: string; paymentId: string; approvalNumber: string; amount: number };
  printReceipt?: { receiptId: string; lines: ReceiptLineMessage[]; qrUrl: string };
}

export interface ChargeCommand {
  paymentId: string;
  orderId: string;
  orderNumber: number;
  amount: number;
  cardTimeoutMs: number;
  /** Unix ms, the server's clock */
  confirmByMs: number;
}

export interface ReceiptLineMessage {
  style: 'NORMAL' | 'BOLD' | 'LARGE' | 'RULE';
  align: 'LEFT' | 'CENTER' | 'RIGHT';
  text: string;
  right: string;
}

export type PaymentOutcome = 'APPROVED' | 'DECLINED' | 'TIMED_OUT' | 'CARD_REMOVED' | 'VOIDED' | 'VOID_FAILED' | 'REFUNDED' | 'REFUND_FAILED';

export interface PaymentReport {
  paymentId: string;
  outcome: PaymentOutcome;
  amount: number;
  approvalNumber: string;
  terminalReference: string;
  message: string;
  occurredAtMs: number;
}

export interface PaymentDecision {
  action: 'ACKNOWLEDGED' | 'CONFIRMED' | 'VOID';
  orderNumber: number;
  reason: string;
}

export type PrintOutcome = 'PRINTED' | 'PAPER_OUT' | 'OFFLINE';

export interface PeripheralStatus {
  printer: 'PRINTER_NONE' | 'PRINTER_READY' | 'PRINTER_PAPER_OUT' | 'PRINTER_OFFLINE' | 'PRINTER_PAPER_LOW';
  terminal: 'TERMINAL_NONE' | 'TERMINAL_READY' | 'TERMINAL_OFFLINE';
}

export interface ConnectRequest {
  agentVersion: string;
  hasCamera: boolean;
  hasDistanceSensor: boolean;
  hasCardTerminal: boolean;
  hasReceiptPrinter: boolean;
}

export interface DistanceReading {
  centimetres: number;
  measuredAtMs: number;
}

export interface DistanceAck {
  accepted: number;
  present: boolean;
}

export interface Frame {
  image: Buffer;
  capturedAtMs: number;
}

export interface FrameBatch {
  captureId: string;
  frames: Frame[];
}

export interface FramesAck {
  accepted: number;
  faceFound: boolean;
  analysisId: string;
}

export interface DeviceClientOptions {
  /** host:port */
  address: string;
  kioskId: string;
  kioskSecret: string;
  /** TLS when set; `ca` to trust a private certificate authority, otherwise the system's */
  tls?: { ca?: Buffer };
  reportDeadlineMs?: number;
  /** long: the server answers after the analysis, and a model's first load on a busy kiosk server takes a while */
  framesDeadlineMs?: number;
}

/** proto/kiosk.proto, from agent/src or agent/dist in the repository */
export const PROTO_PATH = fileURLToPath(new URL('../../proto/kiosk.proto', import.meta.url));

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: Res) => void,
) => grpc.ClientUnaryCall;

interface KioskDeviceStub extends grpc.Client {
  Connect(request: ConnectRequest, metadata: grpc.Metadata): grpc.ClientReadableStream<Command>;
  ReportDistance: Unary<{ readings: DistanceReading[] }, DistanceAck>;
  SendFrames: Unary<FrameBatch, FramesAck>;
  ReportPayment: Unary<PaymentReport, PaymentDecision>;
  ReportPrint: Unary<{ receiptId: string; outcome: PrintOutcome }, Record<string, never>>;
  ReportPeripherals: Unary<PeripheralStatus, Record<string, never>>;
}

function loadStubConstructor(): new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ChannelOptions) => KioskDeviceStub {
  if (!fs.existsSync(PROTO_PATH)) throw new Error(`the device contract is missing at ${PROTO_PATH}`);
  const definition = protoLoader.loadSync(PROTO_PATH, { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true });
  const loaded = grpc.loadPackageDefinition(definition) as any;
  return loaded.pinokio.device.v1.KioskDevice;
}

export class DeviceClient {
  private readonly stub: KioskDeviceStub;

  constructor(private readonly options: DeviceClientOptions) {
    const Stub = loadStubConstructor();
    const credentials = options.tls ? grpc.credentials.createSsl(options.tls.ca ?? null) : grpc.credentials.createInsecure();
    this.stub = new Stub(options.address, credentials, {
      // notice a dead connection (a NAT that forgot the stream) within a minute, not hours
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
      'grpc.max_send_message_length': 32 * 1024 * 1024,
    });
  }

  private metadata(): grpc.Metadata {
    const metadata = new grpc.Metadata();
    metadata.set('x-kiosk-id', this.options.kioskId);
    metadata.set('x-kiosk-secret', this.options.kioskSecret);
    return metadata;
  }

  private deadline(ms: number): grpc.CallOptions {
    return { deadline: Date.now() + ms };
  }

  connect(request: ConnectRequest): grpc.ClientReadableStream<Command> {
    return this.stub.Connect(request, this.metadata());
  }

  reportDistance(readings: DistanceReading[]): Promise<DistanceAck> {
    return new Promise((resolve, reject) => {
      this.stub.ReportDistance({ readings }, this.metadata(), this.deadline(this.options.reportDeadlineMs ?? 5_000), (error, response) =>
        error ? reject(error) : resolve(response!),
      );
    });
  }

  sendFrames(batch: FrameBatch): Promise<FramesAck> {
    return new Promise((resolve, reject) => {
      this.stub.SendFrames(batch, this.metadata(), this.deadline(this.options.framesDeadlineMs ?? 60_000), (error, response) =>
        error ? reject(error) : resolve(response!),
      );
    });
  }

  /** each call has a deadline: the payment runner retries with backoff */
  reportPayment(report: PaymentReport): Promise<PaymentDecision> {
    return this.call((callback) => this.stub.ReportPayment(report, this.metadata(), this.deadline(this.options.reportDeadlineMs ?? 5_000), callback));
  }

  reportPrint(receiptId: string, outcome: PrintOutcome): Promise<unknown> {
    return this.call((callback) =>
      this.stub.ReportPrint({ receiptId, outcome }, this.metadata(), this.deadline(this.options.reportDeadlineMs ?? 5_000), callback),
    );
  }

  reportPeripherals(status: PeripheralStatus): Promise<unknown> {
    return this.call((callback) => this.stub.ReportPeripherals(status, this.metadata(), this.deadline(this.options.reportDeadlineMs ?? 5_000), callback));
  }

  private call<Res>(start: (callback: (error: grpc.ServiceError | null, response?: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      start((error, response) => (error ? reject(error) : resolve(response!)));
    });
  }

  close(): void {
    this.stub.close();
  }
}

export const Status = grpc.status;

/** the gRPC status code of a failed call, or undefined for other errors */
export function statusOf(error: unknown): grpc.status | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** the server's stable error code: the `x-error-code` trailer, or the start of the details ("invalid_reading: ...") */
export function errorCodeOf(error: unknown): string | undefined {
  const failed = error as Partial<grpc.ServiceError> | null;
  const fromTrailer = failed?.metadata?.get('x-error-code')[0];
  if (typeof fromTrailer === 'string') return fromTrailer;
  return typeof failed?.details === 'string' ? /^([a-z_]+):/.exec(failed.details)?.[1] : undefined;
}
