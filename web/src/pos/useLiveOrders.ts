// The store's live order stream (api/useLiveEvents.ts). Its events have no ids to replay: every
// (re)connection calls `onReady`, and the caller refetches what it shows, so nothing that happened
// while disconnected is missed.
import { api, type Order } from '../api/client';
import { useLiveEvents, type LiveStatus } from '../api/useLiveEvents';

export type { LiveStatus };

export interface LiveHandlers {
  onReady(): void;
  onPlaced(order: Order): void;
  onUpdated(order: Order): void;
}

function parseOrder(data: string): Order | undefined {
  try {
    return JSON.parse(data) as Order;
  } catch {
    return undefined;
  }
}

export function useLiveOrders(storeId: string, handlers: LiveHandlers): LiveStatus {
  return useLiveEvents(api.liveOrdersPath(storeId), {
    role: 'owner',
    onReady: () => handlers.onReady(),
    on: {
      'order.placed': (data) => {
        const order = parseOrder(data);
        if (order) handlers.onPlaced(order);
      },
      'order.updated': (data) => {
        const order = parseOrder(data);
        if (order) handlers.onUpdated(order);
      },
    },
  });
}
