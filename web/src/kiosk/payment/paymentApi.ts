// The kiosk's calls about the payment of its own order (docs/payments.md, "HTTP API"): the order as
// it stands (a page reloaded mid-payment picks up from it), giving up the wait, and the receipt's
// link (which prints the counter order's ticket the first time).
import { api, request, type Answer, type PlacedOrder } from '../../api/client';

const enc = encodeURIComponent;
const kioskOrder = (storeId: string, orderId: string) => `/api/stores/${enc(storeId)}/kiosk-orders/${enc(orderId)}`;

export type KioskOrder = Answer<'/api/stores/{storeId}/kiosk-orders/{orderId}', 'get'>;
export type PaymentStart = PlacedOrder['payment'];
export type CancelledPayment = Answer<'/api/stores/{storeId}/kiosk-orders/{orderId}/payment/cancel', 'post'>;

export const paymentApi = {
  kioskOrder: (storeId: string, orderId: string) => request<KioskOrder>('GET', kioskOrder(storeId, orderId), { role: 'kiosk' }),
  /** the customer gives up waiting: the charge is aborted or voided and the order cancelled */
  cancel: (storeId: string, orderId: string) => request<CancelledPayment>('POST', `${kioskOrder(storeId, orderId)}/payment/cancel`, { role: 'kiosk' }),
  receipt: (storeId: string, orderId: string) => api.kioskOrderReceipt(storeId, orderId),
};

// the order whose payment is under way, kept for the page's session so that a reload picks it up
const pendingKey = 'pinokio.kiosk.pendingPayment';

export const pendingPayment = {
  get(): { orderId: string; method: 'card' | 'mobile' } | undefined {
    try {
      const raw = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null') as { orderId?: unknown; method?: unknown } | null;
      return raw && typeof raw.orderId === 'string' && (raw.method === 'card' || raw.method === 'mobile')
        ? { orderId: raw.orderId, method: raw.method }
        : undefined;
    } catch {
      return undefined;
    }
  },
  set(orderId: string, method: 'card' | 'mobile'): void {
    try {
      sessionStorage.setItem(pendingKey, JSON.stringify({ orderId, method }));
    } catch {
      // not kept: a reload starts over, and the server's expiry ends the charge
    }
  },
  clear(): void {
    try {
      sessionStorage.removeItem(pendingKey);
    } catch {
      // nothing kept
    }
  },
};
