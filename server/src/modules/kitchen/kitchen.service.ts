// The kitchen display and the pickup board. A ticket is an open order as the kitchen sees it
// (number, age, eat-in/take-out, lines with options, notes and stations); a bump moves it one stage
// on through the orders service (so the order's own events and hooks run), and only from the stage
// the screen saw, so two screens bumping one ticket advance it once. The live streams follow the
// store's order events (ids, replay log, bus: platform/bus/replayable-events.ts), each screen getting
// only what it shows. An order whose charge at the kiosk is under way (payment pending) is not
// shown; one to be paid at the counter only when the store lets the kitchen start those
// (kitchen_starts_unpaid), else once paid (its order.updated then brings the ticket).
import type { Logged } from '../../platform/bus/replayable-events.js';
import type { Database } from '../../platform/db/database.js';
import type { OrderStatus, PaymentStatus } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/http/errors.js';
import { addDays } from '../../platform/time/local-date.js';
import type { Principal } from '../auth/access-token.js';
import { OrdersRepository, type Order } from '../orders/orders.repository.js';
import type { OrderEvent, OrdersService } from '../orders/orders.service.js';
import { KitchenRepository, type KitchenSettings, type Station } from './kitchen.repository.js';

export type OpenStage = 'placed' | 'preparing' | 'ready';

export interface Ticket {
  orderId: string;
  number: number;
  stage: OrderStatus;
  dining: 'eat_in' | 'take_out' | null;
  paymentStatus: PaymentStatus;
  placedAt: Date;
  updatedAt: Date;
  lines: Array<{ itemName: string; quantity: number; options: string[]; note: string | null; stationIds: string[] }>;
}

export interface PickupEntry {
  orderId: string;
  number: number;
  stage: OrderStatus;
  updatedAt: Date;
}

const NEXT_STAGE: Record<OpenStage, 'preparing' | 'ready' | 'completed'> = { placed: 'preparing', preparing: 'ready', ready: 'completed' };
const OPEN_STAGES: OrderStatus[] = ['placed', 'preparing', 'ready'];
/** at most this many open tickets are listed (a kitchen with more has other problems) */
const MAX_OPEN_TICKETS = 300;
/** how long a store's item -> station routing (and whether unpaid orders are shown) is reused for live tickets */
const ROUTING_TTL_MS = 5_000;

export class KitchenService {
  private readonly routing = new Map<string, { until: number; map: Promise<Map<string, string[]>> }>();
  private readonly startsUnpaid = new Map<string, { until: number; value: Promise<boolean> }>();

  constructor(
    private readonly db: Database,
    private readonly orders: OrdersService,
  ) {}

  /** who a screen is: a kitchen display, a pickup board, or the store's owner on either page */
  async screen(principal: Principal) {
    const storeId = principal.storeId;
    if (!storeId) throw new DomainError('forbidden', 'forbidden_role', 'This is for a store screen or its owner.');
    const repository = new KitchenRepository(this.db);
    const [storeName, settings, stations, name] = await Promise.all([
      repository.storeName(storeId),
      repository.settings(storeId),
      repository.stations(storeId),
      principal.role === 'owner' ? Promise.resolve('') : repository.screenName(principal.subjectId),
    ]);
    if (storeName === undefined || name === undefined) throw new DomainError('unauthenticated', 'screen_not_found', 'This screen no longer exists.');
    const kind = principal.role === 'kitchen' || principal.role === 'pickup' ? principal.role : ('owner' as const);
    return { storeId, storeName, kind, name, settings, stations };
  }

  /** the open tickets, oldest first; with a station, those with a line for it (or for every station) */
  async tickets(storeId: string, stationId?: string): Promise<Ticket[]> {
    const orders = await this.openOrders(storeId);
    const routing = await this.routingOf(storeId, true);
    const tickets = orders.map((order) => toTicket(order, routing));
    if (!stationId) return tickets;
    return tickets.filter((ticket) => ticket.lines.some((line) => line.stationIds.length === 0 || line.stationIds.includes(stationId)));
  }

  /**
   * Moves a ticket on from the stage the screen saw. When it is no longer at that stage (another
   * screen bumped it), nothing changes and the answer says the stage it is at now.
   */
  async bump(storeId: string, orderId: string, from: OpenStage): Promise<Ticket> {
    let order: Order;
    try {
      // advance() changes the status only while it is before the target (one UPDATE ... WHERE
      // status IN ...), so of two screens bumping from one stage exactly one moves it
      order = await this.orders.advance(storeId, orderId, NEXT_STAGE[from]);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'invalid_status_transition') {
        const current = (error.details?.from as OrderStatus | undefined) ?? 'cancelled';
        throw new DomainError('conflict', 'ticket_already_bumped', `This ticket is ${current} now.`, { current });
      }
      throw error;
    }
    return toTicket(order, await this.routingOf(storeId));
  }

  /** the numbers being prepared, and those ready within the hold time */
  async pickupBoard(storeId: string): Promise<PickupEntry[]> {
    const [orders, settings] = await Promise.all([this.openOrders(storeId), new KitchenRepository(this.db).settings(storeId)]);
    const heldSince = Date.now() - settings.pickupHoldMinutes * 60_000;
    return orders.filter((order) => order.status !== 'ready' || new Date(order.updatedAt).getTime() >= heldSince).map(toPickupEntry);
  }

  settings(storeId: string): Promise<KitchenSettings> {
    return new KitchenRepository(this.db).settings(storeId);
  }

  async saveSettings(storeId: string, settings: KitchenSettings): Promise<KitchenSettings> {
    const repository = new KitchenRepository(this.db);
    await repository.saveSettings(storeId, settings);
    return repository.settings(storeId);
  }

  stations(storeId: string): Promise<Station[]> {
    return new KitchenRepository(this.db).stations(storeId);
  }

  /** adds a station (no id) or replaces one's name and categories */
  async saveStation(storeId: string, station: { id?: string; name: string; categoryIds: string[] }): Promise<Station> {
    const name = station.name.trim();
    if (name.length === 0) throw new DomainError('invalid', 'invalid_station_name', 'Give the station a name.');
    const saved = await this.db.transaction().execute(async (trx) => {
      const repository = new KitchenRepository(trx);
      const categoryIds = [...new Set(station.categoryIds.map((id) => id.toLowerCase()))];
      const own = await repository.categoriesOfStore(storeId, categoryIds);
      if (own.length !== categoryIds.length) throw new DomainError('invalid', 'unknown_category', 'A category is not one of this store.');
      let id = station.id;
      if (id) {
        if (!(await repository.renameStation(storeId, id, name))) throw stationNotFound();
      } else {
        id = await repository.insertStation(storeId, name);
      }
      await repository.routeCategories(id, own);
      return (await repository.stations(storeId)).find((candidate) => candidate.id === id)!;
    });
    this.routing.delete(storeId);
    return saved;
  }

  async deleteStation(storeId: string, stationId: string): Promise<void> {
    if (!(await new KitchenRepository(this.db).deleteStation(storeId, stationId))) throw stationNotFound();
    this.routing.delete(storeId);
  }

  /**
   * Follows the store's tickets: each order event becomes the ticket as it is now, with the event's
   * id (so a screen that reconnects, to any instance, is replayed what it missed). In order.
   */
  async followTickets(storeId: string, lastEventId: number | undefined, deliver: (ticket: Ticket, id: number) => void): Promise<() => Promise<void>> {
    let chain: Promise<void> = Promise.resolve();
    const unfollow = await this.orders.followLive(storeId, lastEventId, (event: Logged<OrderEvent>) => {
      chain = chain.then(async () => {
        if (!(await this.shows(storeId, event.order))) return;
        deliver(toTicket(event.order, await this.routingOf(storeId).catch(() => new Map())), event.id);
      });
    });
    // the replayed tickets go out before the caller says `ready`
    await chain;
    return unfollow;
  }

  /** follows the store's orders as the pickup board shows them: a number and its stage */
  async followPickup(storeId: string, lastEventId: number | undefined, deliver: (entry: PickupEntry, id: number) => void): Promise<() => Promise<void>> {
    let chain: Promise<void> = Promise.resolve();
    const unfollow = await this.orders.followLive(storeId, lastEventId, (event) => {
      chain = chain.then(async () => {
        if (await this.shows(storeId, event.order)) deliver(toPickupEntry(event.order), event.id);
      });
    });
    await chain;
    return unfollow;
  }

  /**
   * Whether the kitchen and the pickup board show this order: not while its charge at the kiosk is
   * under way; an unpaid counter order not yet started only when the store lets the kitchen start
   * those. A cancellation is always passed on (a screen drops a ticket it may not have had).
   */
  private async shows(storeId: string, order: Order): Promise<boolean> {
    if (order.status === 'cancelled') return true;
    return isShown(order, await this.kitchenStartsUnpaid(storeId).catch(() => true));
  }

  private kitchenStartsUnpaid(storeId: string, fresh = false): Promise<boolean> {
    const cached = this.startsUnpaid.get(storeId);
    if (!fresh && cached && cached.until > Date.now()) return cached.value;
    const value = new OrdersRepository(this.db).kitchenStartsUnpaid(storeId);
    this.startsUnpaid.set(storeId, { until: Date.now() + ROUTING_TTL_MS, value });
    value.catch(() => this.startsUnpaid.delete(storeId));
    return value;
  }

  private async openOrders(storeId: string): Promise<Order[]> {
    // local dates are within a day of UTC's; an order left open from two days ago still shows
    const today = new Date().toISOString().slice(0, 10);
    const { orders } = await new OrdersRepository(this.db).list(storeId, {
      from: addDays(today, -2),
      to: addDays(today, 1),
      statuses: OPEN_STAGES,
      paymentStatuses: ['unpaid', 'paid', 'partially_refunded', 'refunded'],
      limit: MAX_OPEN_TICKETS,
      offset: 0,
    });
    const startsUnpaid = await this.kitchenStartsUnpaid(storeId, true);
    return orders.filter((order) => isShown(order, startsUnpaid)).reverse();
  }

  private routingOf(storeId: string, fresh = false): Promise<Map<string, string[]>> {
    const cached = this.routing.get(storeId);
    if (!fresh && cached && cached.until > Date.now()) return cached.map;
    const map = new KitchenRepository(this.db).itemStations(storeId);
    this.routing.set(storeId, { until: Date.now() + ROUTING_TTL_MS, map });
    map.catch(() => this.routing.delete(storeId));
    return map;
  }
}

function isShown(order: Order, kitchenStartsUnpaid: boolean): boolean {
  if (order.payment.status === 'pending') return false;
  // an unpaid order the kitchen started anyway (moved on from the POS) stays in view
  if (order.payment.status === 'unpaid' && order.status === 'placed') return kitchenStartsUnpaid;
  return true;
}

function toTicket(order: Order, routing: Map<string, string[]>): Ticket {
  return {
    orderId: order.id,
    number: order.number,
    stage: order.status,
    // dining and notes come with migration 0008 (eat-in/take-out, a line's note)
    dining: (order as { dining?: Ticket['dining'] }).dining ?? null,
    paymentStatus: order.payment.status,
    placedAt: order.createdAt,
    updatedAt: order.updatedAt,
    lines: order.lines.map((line) => ({
      itemName: line.itemName,
      quantity: line.quantity,
      options: line.options.map((option) => `${option.group}: ${option.name}`),
      note: (line as { note?: string | null }).note ?? null,
      stationIds: routing.get(line.itemId) ?? [],
    })),
  };
}

function toPickupEntry(order: Order): PickupEntry {
  return { orderId: order.id, number: order.number, stage: order.status, updatedAt: order.updatedAt };
}

function stationNotFound(): DomainError {
  return new DomainError('not_found', 'station_not_found', 'There is no such station in this store.');
}
