// The device contract (proto/kiosk.proto) served over gRPC on its own port, in the same process as
// HTTP. Thin like a routes file: authenticate the call from its metadata, hand it to the service,
// turn a DomainError into a gRPC status whose details start with the stable code
// ("image_corrupt: ..."), also sent as the trailing metadata `x-error-code`.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { isDatabaseUnreachable } from '../../platform/db/errors.js';
import { DomainError, type ErrorKind } from '../../platform/http/errors.js';
import type { DeviceAuthenticator, DeviceIdentity } from './device-auth.js';
import type { DeviceCommand, DeviceConnection } from './device-connections.js';
import type { PrinterStatus, TerminalStatus } from '../../platform/db/schema.js';
import { PAYMENT_OUTCOMES, type DevicesService, type PaymentOutcome, type PrintOutcome } from './devices.service.js';

const PRINTER_STATES: Record<string, PrinterStatus> = {
  PRINTER_NONE: 'none',
  PRINTER_READY: 'ready',
  PRINTER_PAPER_OUT: 'paper_out',
  PRINTER_OFFLINE: 'offline',
  PRINTER_PAPER_LOW: 'paper_low',
};
const TERMINAL_STATES: Record<string, TerminalStatus> = { TERMINAL_NONE: 'none', TERMINAL_READY: 'ready', TERMINAL_OFFLINE: 'offline' };
const PRINT_OUTCOMES: Record<string, PrintOutcome> = { PRINTED: 'printed', PAPER_OUT: 'paper_out', OFFLINE: 'offline' };

interface PaymentReportMessage {
  paymentId?: string;
  outcome?: string;
  amount?: number;
  approvalNumber?: string;
  terminalReference?: string;
  message?: string;
  occurredAtMs?: number;
}

/** proto/ at the repository root: the same path from src/ (tsx) and from dist/ */
export const KIOSK_PROTO_PATH = fileURLToPath(new URL('../../../../proto/kiosk.proto', import.meta.url));

/** how the server reads the proto; a client may use the same options (server/test/grpc does) */
export const KIOSK_PROTO_OPTIONS: protoLoader.Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true };

export function loadKioskProto(): grpc.GrpcObject {
  return grpc.loadPackageDefinition(protoLoader.loadSync(KIOSK_PROTO_PATH, KIOSK_PROTO_OPTIONS));
}

export interface DeviceGrpcOptions {
  host: string;
  port: number;
  tls: { certPath: string; keyPath: string } | undefined;
  /** the largest message a device may send (a batch of frames) */
  maxReceiveBytes: number;
}

type Logger = { info(object: object, message: string): void; warn(object: object, message: string): void; error(object: object, message: string): void };

const statusOfKind: Record<ErrorKind, grpc.status> = {
  invalid: grpc.status.INVALID_ARGUMENT,
  unauthenticated: grpc.status.UNAUTHENTICATED,
  forbidden: grpc.status.PERMISSION_DENIED,
  not_found: grpc.status.NOT_FOUND,
  conflict: grpc.status.FAILED_PRECONDITION,
  gone: grpc.status.NOT_FOUND,
  too_large: grpc.status.RESOURCE_EXHAUSTED,
  unsupported: grpc.status.INVALID_ARGUMENT,
  rate_limited: grpc.status.RESOURCE_EXHAUSTED,
  unavailable: grpc.status.UNAVAILABLE,
};

function statusError(code: grpc.status, errorCode: string, message: string): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  metadata.set('x-error-code', errorCode);
  return { code, details: `${errorCode}: ${message}`, metadata };
}

function toStatus(error: unknown, log: Logger): Partial<grpc.StatusObject> {
  if (error instanceof DomainError) {
    const code = error.code === 'analysis_timeout' ? grpc.status.DEADLINE_EXCEEDED : statusOfKind[error.kind];
    return statusError(code, error.code, error.message);
  }
  // the database is restarting or unreachable: nothing was written, and the agent retries what it
  // must not lose (a payment's outcome) on UNAVAILABLE, as a browser does on 503
  if (isDatabaseUnreachable(error)) {
    log.warn({ err: error }, 'device call failed: database unavailable');
    return statusError(grpc.status.UNAVAILABLE, 'database_unavailable', 'The service is briefly unavailable. Please try again in a few seconds.');
  }
  log.error({ err: error }, 'device call failed');
  return statusError(grpc.status.INTERNAL, 'internal_error', 'Something went wrong on our side.');
}

/** "127.0.0.1:5123", "::ffff:10.0.0.2:5123" -> the address without the port */
function peerAddress(peer: string): string {
  return (
    peer
      .replace(/^ipv[46]:/, '')
      .replace(/:\d+$/, '')
      .replace(/^\[|\]$/g, '') || 'unknown'
  );
}

function metadataText(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export class DeviceGrpcServer {
  private readonly server: grpc.Server;
  private boundPort = 0;

  constructor(
    private readonly devices: DevicesService,
    private readonly authenticator: DeviceAuthenticator,
    private readonly options: DeviceGrpcOptions,
    private readonly log: Logger,
  ) {
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': options.maxReceiveBytes,
      'grpc.max_send_message_length': 1_048_576,
      // notice devices that vanished without closing (power cut, network gone)
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 10_000,
    });
    const proto = loadKioskProto() as unknown as { pinokio: { device: { v1: { KioskDevice: grpc.ServiceClientConstructor } } } };
    this.server.addService(proto.pinokio.device.v1.KioskDevice.service, {
      Connect: (call: grpc.ServerWritableStream<any, any>) => void this.connect(call),
      ReportDistance: this.unary(async (device, request: { readings?: Array<{ centimetres: number; measuredAtMs: number }> }) =>
        this.devices.reportDistance(device, request.readings ?? []),
      ),
      SendFrames: this.unary(async (device, request: { captureId?: string; frames?: Array<{ image?: Buffer }> }) =>
        this.devices.sendFrames(
          device,
          request.captureId ?? '',
          (request.frames ?? []).map((frame) => frame.image ?? Buffer.alloc(0)),
        ),
      ),
      ReportPayment: this.unary(async (device, request: PaymentReportMessage) => {
        const outcome = request.outcome as PaymentOutcome;
        if (!PAYMENT_OUTCOMES.includes(outcome)) {
          throw new DomainError('invalid', 'invalid_outcome', `"${String(request.outcome)}" is not a payment outcome.`);
        }
        if (!/^[0-9a-f-]{36}$/i.test(request.paymentId ?? '')) throw new DomainError('invalid', 'invalid_payment_id', 'payment_id must be a UUID.');
        return this.devices.reportPayment(device, {
          paymentId: request.paymentId!.toLowerCase(),
          outcome,
          amount: Number(request.amount ?? 0),
          approvalNumber: String(request.approvalNumber ?? '').slice(0, 64),
          terminalReference: String(request.terminalReference ?? '').slice(0, 128),
          message: String(request.message ?? '').slice(0, 500),
          occurredAtMs: Number(request.occurredAtMs ?? 0),
        });
      }),
      ReportPrint: this.unary(async (device, request: { receiptId?: string; outcome?: string }) => {
        const outcome = PRINT_OUTCOMES[request.outcome ?? ''];
        if (!outcome) throw new DomainError('invalid', 'invalid_outcome', `"${String(request.outcome)}" is not a print outcome.`);
        if (!/^[0-9a-f-]{36}$/i.test(request.receiptId ?? '')) throw new DomainError('invalid', 'invalid_receipt_id', 'receipt_id must be a UUID.');
        await this.devices.reportPrint(device, request.receiptId!.toLowerCase(), outcome);
        return {};
      }),
      ReportPeripherals: this.unary(async (device, request: { printer?: string; terminal?: string }) => {
        await this.devices.reportPeripherals(device, {
          printer: PRINTER_STATES[request.printer ?? ''] ?? 'none',
          terminal: TERMINAL_STATES[request.terminal ?? ''] ?? 'none',
        });
        return {};
      }),
    });
  }

  /** "host:port" as bound (the port is the real one when 0 was asked) */
  get address(): string {
    const host = this.options.host === '0.0.0.0' || this.options.host === '::' ? '127.0.0.1' : this.options.host;
    return `${host}:${this.boundPort}`;
  }

  async listen(): Promise<string> {
    const credentials = this.options.tls
      ? grpc.ServerCredentials.createSsl(
          null,
          [{ cert_chain: fs.readFileSync(this.options.tls.certPath), private_key: fs.readFileSync(this.options.tls.keyPath) }],
          false,
        )
      : grpc.ServerCredentials.createInsecure();
    const hostPort = this.options.host.includes(':') ? `[${this.options.host}]:${this.options.port}` : `${this.options.host}:${this.options.port}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(hostPort, credentials, (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.log.info({ address: this.address, tls: this.options.tls !== undefined }, 'device gRPC server listening');
    return this.address;
  }

  /** ends the command streams, lets unary calls under way finish (briefly), then stops */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 3_000);
      force.unref();
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private async authenticate(call: grpc.ServerUnaryCall<any, any> | grpc.ServerWritableStream<any, any>): Promise<DeviceIdentity> {
    return this.authenticator.authenticate(
      metadataText(call.metadata, 'x-kiosk-id'),
      metadataText(call.metadata, 'x-kiosk-secret'),
      peerAddress(call.getPeer()),
    );
  }

  private unary<Request, Response>(handle: (device: DeviceIdentity, request: Request) => Promise<Response>) {
    return (call: grpc.ServerUnaryCall<Request, Response>, callback: grpc.sendUnaryData<Response>) => {
      (async () => {
        const device = await this.authenticate(call);
        return handle(device, call.request);
      })().then(
        (response) => callback(null, response),
        (error: unknown) => callback(toStatus(error, this.log)),
      );
    };
  }

  private async connect(
    call: grpc.ServerWritableStream<
      { agentVersion?: string; hasCamera?: boolean; hasDistanceSensor?: boolean; hasCardTerminal?: boolean; hasReceiptPrinter?: boolean },
      any
    >,
  ) {
    let connection: DeviceConnection | undefined;
    try {
      const identity = await this.authenticate(call);
      let sequence = 0;
      let ended = false;
      const finish = () => {
        if (ended) return;
        ended = true;
        if (connection) this.devices.disconnect(connection);
      };
      connection = {
        identity,
        send: (command: DeviceCommand) => {
          if (ended) return;
          sequence += 1;
          call.write({ sequence, ...command });
        },
        end: (code, reason) => {
          if (ended) return;
          finish();
          const status = { unauthenticated: grpc.status.UNAUTHENTICATED, unavailable: grpc.status.UNAVAILABLE, aborted: grpc.status.ABORTED }[code];
          const [errorCode, ...rest] = reason.split(': ');
          call.emit('error', statusError(status, errorCode!, rest.join(': ') || reason));
        },
      };
      call.on('cancelled', finish);
      call.on('close', finish);
      call.on('error', finish);
      await this.devices.connect(connection, {
        agentVersion: String(call.request.agentVersion ?? '').slice(0, 64),
        hasCamera: call.request.hasCamera === true,
        hasDistanceSensor: call.request.hasDistanceSensor === true,
        hasCardTerminal: call.request.hasCardTerminal === true,
        hasReceiptPrinter: call.request.hasReceiptPrinter === true,
      });
      if (call.cancelled) finish();
    } catch (error) {
      if (connection) this.devices.disconnect(connection);
      call.emit('error', toStatus(error, this.log));
    }
  }
}
