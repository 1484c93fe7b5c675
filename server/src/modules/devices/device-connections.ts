// The devices connected to this instance (their open Connect streams), by kiosk and by store.
import type { DeviceIdentity } from './device-auth.js';

/** a command as the proto's Command oneof carries it (field names as proto-loader gives them) */
export type DeviceCommand =
  | { settings: Record<string, number> }
  | { capture: { captureId: string; frames: number; intervalMs: number } }
  | { wake: { brightness: number } }
  | { reset: { reason: string } }
  | { stopMeasuring: { reason: string } }
  | { startMeasuring: Record<string, never> }
  | { charge: { paymentId: string; orderId: string; orderNumber: number; amount: number; cardTimeoutMs: number; confirmByMs: number } }
  | { voidPayment: { paymentId: string; reason: string } }
  | { refundPayment: { refundId: string; paymentId: string; approvalNumber: string; amount: number } }
  | { printReceipt: { receiptId: string; lines: ReceiptLineCommand[]; qrUrl: string } };

/** a PrintReceipt line as proto-loader takes it (enums by name) */
export interface ReceiptLineCommand {
  style: 'NORMAL' | 'BOLD' | 'LARGE' | 'RULE';
  align: 'LEFT' | 'CENTER' | 'RIGHT';
  text: string;
  right: string;
}

export interface DeviceConnection {
  readonly identity: DeviceIdentity;
  send(command: DeviceCommand): void;
  /** ends the stream with a gRPC status (e.g. the kiosk was deleted) */
  end(code: 'unauthenticated' | 'unavailable' | 'aborted', reason: string): void;
}

export class DeviceConnections {
  private readonly byKiosk = new Map<string, Set<DeviceConnection>>();

  add(connection: DeviceConnection): void {
    const kioskId = connection.identity.kioskId;
    let set = this.byKiosk.get(kioskId);
    if (!set) this.byKiosk.set(kioskId, (set = new Set()));
    set.add(connection);
  }

  /** false when it was not registered */
  remove(connection: DeviceConnection): boolean {
    const set = this.byKiosk.get(connection.identity.kioskId);
    if (!set?.delete(connection)) return false;
    if (set.size === 0) this.byKiosk.delete(connection.identity.kioskId);
    return true;
  }

  ofKiosk(kioskId: string): DeviceConnection[] {
    return [...(this.byKiosk.get(kioskId) ?? [])];
  }

  ofStore(storeId: string): DeviceConnection[] {
    return this.all().filter((connection) => connection.identity.storeId === storeId);
  }

  all(): DeviceConnection[] {
    return [...this.byKiosk.values()].flatMap((set) => [...set]);
  }
}
