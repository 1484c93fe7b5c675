// The store's live order stream (api/useLiveEvents.ts). Its events carry ids: a reconnection
// resumes with Last-Event-ID (or `?lastEventId=`) and the orders placed meanwhile arrive as events
// (chime, "new" mark). Every (re)connection still calls `onReady` and the caller refetches what it
// shows, for what the server's short replay log no longer holds.
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
    replays: true,
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
