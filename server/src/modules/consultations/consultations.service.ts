// Video consultations between kiosks and the counselors of their brand. The rules live here and
// know nothing of WebSockets: a socket is a "connection" (a row, so every instance knows who is
// reachable) and everything a party must hear is published on its bus channel, so a counselor on
// instance B hears a kiosk on instance A.
//
// Seats are counted by the database: accepting locks the counselor's presence row, counts their
// live consultations and moves the request out of waiting with a conditional UPDATE, all in one
// transaction, so the first accept wins and a counselor never has more than their capacity, however
// many instances accept at once.
import { randomUUID } from 'node:crypto';
import type { Bus, BusHandler } from '../../platform/bus/bus.js';
import type { Database } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { ConsultationOutcome, PresenceStatus } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/http/errors.js';
import { localDate } from '../../platform/time/local-date.js';
import type { Principal } from '../auth/access-token.js';
import { checkRange } from '../orders/orders.service.js';
import type { ConsultationView, OfferView, PresenceView, ServerMessage } from './consultations.messages.js';
import { ConsultationsRepository, type ConsultationDetails, type ConsultationRow, type Party, type RequestRow } from './consultations.repository.js';
import type { Video } from './video.js';

export type { Party } from './consultations.repository.js';

export interface ConsultationsOptions {
  requestTimeoutSeconds: number;
  defaultCapacity: number;
  /** how often sockets are pinged; a connection unseen for two beats and 5 s is no longer reachable */
  heartbeatSeconds: number;
  /** how long a side may be away (reconnecting) before its consultations end */
  reconnectGraceSeconds: number;
}

export const MAX_CAPACITY = 3;
const OFFERS_PER_COUNSELOR = 20;

export function partyChannel(party: Party): string {
  return `consultations:${party.role}:${party.id}`;
}

/** the consultation side behind a token; owners have none */
export function partyOf(principal: Principal): Party {
  if (principal.role !== 'kiosk' && principal.role !== 'counselor') {
    throw new DomainError('forbidden', 'forbidden_role', 'Consultations are for kiosks and counselors.');
  }
  return { role: principal.role, id: principal.subjectId };
}

export interface Hello {
  self: { id: string; name: string; brandId: string; storeId: string | null };
  consultations: ConsultationView[];
  request: { requestId: string; status: 'waiting'; expiresAt: string } | null;
  presence: PresenceView | null;
  offers: OfferView[];
}

/** the other side of a live consultation, as a relay needs it */
export interface Peer {
  party: Party;
  storeId: string;
}

export class ConsultationsService {
  private readonly timers = new Set<NodeJS.Timeout>();
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly bus: Bus,
    private readonly video: Video,
    readonly options: ConsultationsOptions,
    private readonly onError: (error: unknown, task: string) => void = (error, task) => console.error(`consultations: ${task} failed`, error),
  ) {}

  /** a connection is reachable while seen within this many seconds */
  get staleSeconds(): number {
    return 2 * this.options.heartbeatSeconds + 5;
  }

  /** what every party needs to open its peer connection (the same as in consultation-started) */
  iceServers(party: Party) {
    return this.video.iceServers(party.id);
  }

  get videoProvider() {
    return this.video.provider;
  }

  // ---- lifecycle ----

  /** the periodic sweep: requests past their time, consultations abandoned, connections of dead instances */
  start(): void {
    this.stopped = false;
    this.sweeper = setInterval(() => void this.sweep().catch((error) => this.onError(error, 'sweep')), this.options.heartbeatSeconds * 1000);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  async sweep(): Promise<void> {
    await this.expireDue();
    await this.endAbandoned();
    await new ConsultationsRepository(this.db).purgeConnections(3600);
  }

  listen(party: Party, handler: BusHandler): Promise<() => Promise<void>> {
    return this.bus.subscribe(partyChannel(party), handler);
  }

  // ---- connections ----

  /** a socket of this party opened: it is reachable, its consultations resume; what it must know first */
  async connect(principal: Principal, connectionId: string): Promise<Hello> {
    const party = partyOf(principal);
    const repository = new ConsultationsRepository(this.db);
    let self: Hello['self'];
    if (party.role === 'kiosk') {
      const kiosk = await repository.kiosk(party.id);
      if (!kiosk) throw new DomainError('unauthenticated', 'kiosk_not_found', 'This kiosk no longer exists.');
      self = { id: kiosk.id, name: kiosk.name, brandId: kiosk.brandId, storeId: kiosk.storeId };
    } else {
      const counselor = await repository.counselor(party.id);
      if (!counselor) throw new DomainError('unauthenticated', 'account_not_found', 'This account no longer exists.');
      self = { id: counselor.id, name: counselor.name, brandId: counselor.brandId, storeId: null };
      await repository.ensurePresence(party.id, this.options.defaultCapacity);
    }
    await repository.addConnection(connectionId, party);

    for (const consultation of await repository.markBack(party)) {
      await this.send(peerIn(consultation, party), { type: 'peer-back', consultationId: consultation.id });
    }
    const live = await repository.details((await repository.liveOf(party)).map((row) => row.id));
    const consultations = await Promise.all(live.map((consultation) => this.view(consultation, party)));
    if (party.role === 'kiosk') {
      const waiting = await repository.waitingRequestOf(party.id);
      return {
        self,
        consultations,
        request: waiting ? { requestId: waiting.id, status: 'waiting', expiresAt: waiting.expiresAt.toISOString() } : null,
        presence: null,
        offers: [],
      };
    }
    return { self, consultations, request: null, presence: await this.presence(party.id), offers: await this.offerWaiting(party.id, self.brandId) };
  }

  /** a socket closed. When it was the party's last, a waiting request is withdrawn and the other sides are told */
  async disconnect(principal: Principal, connectionId: string): Promise<void> {
    const party = partyOf(principal);
    const repository = new ConsultationsRepository(this.db);
    await repository.removeConnection(connectionId);
    if (await repository.isConnected(party, this.staleSeconds)) return;
    if (party.role === 'kiosk') {
      const waiting = await repository.waitingRequestOf(party.id);
      if (waiting) await this.closeRequest(waiting, 'cancelled');
    }
    const left = await repository.markLeft(party);
    for (const consultation of left) {
      await this.send(peerIn(consultation, party), {
        type: 'peer-gone',
        consultationId: consultation.id,
        reconnectGraceSeconds: this.options.reconnectGraceSeconds,
      });
    }
    if (left.length > 0) this.later(this.options.reconnectGraceSeconds * 1000 + 100, 'end abandoned', () => this.endAbandoned());
  }

  /** the heartbeat: these connections answered */
  async touch(connectionIds: string[]): Promise<void> {
    await new ConsultationsRepository(this.db).touchConnections(connectionIds);
  }

  // ---- counselors ----

  async setPresence(principal: Principal, status: PresenceStatus): Promise<void> {
    const counselorId = counselorOf(principal);
    await new ConsultationsRepository(this.db).setPresence(counselorId, { status }, this.options.defaultCapacity);
    await this.announcePresence(counselorId);
    if (status === 'online') await this.offerWaitingAndSend(counselorId, principal.brandId);
  }

  async setCapacity(counselorId: string, brandId: string, capacity: number): Promise<PresenceView> {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
      throw new DomainError('invalid', 'invalid_capacity', `A counselor serves 1 to ${MAX_CAPACITY} kiosks at once.`);
    }
    await new ConsultationsRepository(this.db).setPresence(counselorId, { capacity }, this.options.defaultCapacity);
    const presence = await this.announcePresence(counselorId);
    await this.offerWaitingAndSend(counselorId, brandId);
    return presence;
  }

  async presence(counselorId: string): Promise<PresenceView> {
    const repository = new ConsultationsRepository(this.db);
    const presence = (await repository.presenceOf(counselorId)) ?? { status: 'away' as const, capacity: this.options.defaultCapacity };
    return { ...presence, active: await repository.liveCount(counselorId) };
  }

  /**
   * Takes a waiting request. In one transaction: the counselor's presence row locked (so their
   * accepts run one at a time on every instance), their live consultations counted against their
   * capacity, and the request moved from waiting to accepted only if it still waits.
   */
  async accept(principal: Principal, requestId: string): Promise<ConsultationRow> {
    const counselorId = counselorOf(principal);
    const repository = new ConsultationsRepository(this.db);
    await repository.ensurePresence(counselorId, this.options.defaultCapacity);
    let consultation: ConsultationRow;
    try {
      consultation = await this.db.transaction().execute(async (trx) => {
        const locked = new ConsultationsRepository(trx);
        const presence = (await locked.presenceOf(counselorId, { lock: true }))!;
        const request = await locked.findRequest(requestId);
        if (!request) throw requestNotFound();
        if (request.brandId !== principal.brandId) throw forbiddenBrand();
        if (request.status !== 'waiting') throw requestClosed(request);
        const active = await locked.liveCount(counselorId);
        if (active >= presence.capacity) {
          throw new DomainError('conflict', 'counselor_full', `You are already serving ${active} kiosks, your most at once.`, {
            capacity: presence.capacity,
          });
        }
        await locked.lockKiosk(request.kioskId);
        const kiosk = await locked.kiosk(request.kioskId);
        const started = await locked.insertConsultation({
          request,
          counselorId,
          localDate: localDate(kiosk?.timeZone ?? 'Asia/Seoul'),
        });
        if (!(await locked.decide(request.id, 'accepted', started.id))) throw requestClosed({ ...request, status: 'accepted' });
        return started;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('conflict', 'request_taken', 'This kiosk is already in a consultation.');
      throw error;
    }

    // the two parties first; then, all at once, the other counselors who were shown the request
    const kiosk: Party = { role: 'kiosk', id: consultation.kioskId };
    const counselor: Party = { role: 'counselor', id: counselorId };
    const accepted = this.send(kiosk, { type: 'request-status', requestId, status: 'accepted', consultationId: consultation.id });
    const [[details], offerees] = await Promise.all([repository.details([consultation.id]), repository.openOfferees(requestId)]);
    const [kioskView, counselorView] = await Promise.all([this.view(details!, kiosk), this.view(details!, counselor)]);
    await Promise.all([
      accepted,
      this.send(kiosk, { type: 'consultation-started', ...kioskView }),
      this.send(counselor, { type: 'consultation-started', ...counselorView }),
      this.sendToCounselors(
        offerees.filter((id) => id !== counselorId),
        { type: 'request-closed', requestId, reason: 'taken' },
      ),
      this.announcePresence(counselorId),
    ]);
    return consultation;
  }

  /** a counselor says no; when every counselor it was offered to has, the kiosk is told */
  async reject(principal: Principal, requestId: string): Promise<void> {
    const counselorId = counselorOf(principal);
    const repository = new ConsultationsRepository(this.db);
    const request = await repository.findRequest(requestId);
    if (!request) throw requestNotFound();
    if (request.brandId !== principal.brandId) throw forbiddenBrand();
    await repository.rejectOffer(requestId, counselorId);
    await this.send({ role: 'counselor', id: counselorId }, { type: 'request-closed', requestId, reason: 'rejected' });
    if (request.status !== 'waiting' || (await repository.openOfferees(requestId)).length > 0) return;
    if (await repository.decide(requestId, 'rejected')) {
      await this.send({ role: 'kiosk', id: request.kioskId }, { type: 'request-status', requestId, status: 'rejected' });
    }
  }

  // ---- kiosks ----

  /**
   * The customer asks for a counselor. The request is offered to the brand's counselors who are
   * online, connected and have a free seat; with none, the kiosk is told at once (no-counselor).
   */
  async request(principal: Principal): Promise<RequestRow> {
    if (principal.role !== 'kiosk') throw new DomainError('forbidden', 'forbidden_role', 'Only a kiosk asks for a counselor.');
    const repository = new ConsultationsRepository(this.db);
    const kiosk = await repository.kiosk(principal.subjectId);
    if (!kiosk) throw new DomainError('unauthenticated', 'kiosk_not_found', 'This kiosk no longer exists.');
    let created: { request: RequestRow; offeredTo: string[] };
    try {
      created = await this.db.transaction().execute(async (trx) => {
        const locked = new ConsultationsRepository(trx);
        await locked.lockKiosk(kiosk.id);
        if ((await locked.liveOf({ role: 'kiosk', id: kiosk.id })).length > 0) {
          throw new DomainError('conflict', 'already_in_consultation', 'This kiosk is already talking with a counselor.');
        }
        const waiting = await locked.waitingRequestOf(kiosk.id);
        if (waiting) throw alreadyWaiting(waiting.id);
        const offeredTo = await locked.eligibleCounselors(kiosk.brandId, this.staleSeconds);
        const request = await locked.insertRequest({
          kioskId: kiosk.id,
          storeId: kiosk.storeId,
          brandId: kiosk.brandId,
          status: offeredTo.length > 0 ? 'waiting' : 'expired',
          timeoutSeconds: this.options.requestTimeoutSeconds,
        });
        await locked.addOffers(request.id, offeredTo);
        return { request, offeredTo };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyWaiting(undefined);
      throw error;
    }

    const { request, offeredTo } = created;
    const self: Party = { role: 'kiosk', id: kiosk.id };
    if (offeredTo.length === 0) {
      await this.send(self, { type: 'request-status', requestId: request.id, status: 'no-counselor' });
      return request;
    }
    const expiresAt = request.expiresAt.toISOString();
    const offer: OfferView = { requestId: request.id, kiosk: infoOf(kiosk), createdAt: request.createdAt.toISOString(), expiresAt };
    // every offer is published in this same tick after the commit, so a close of this request (which
    // needs the committed row and more queries) is always published after them here: see send()
    await Promise.all([
      this.send(self, { type: 'request-status', requestId: request.id, status: 'waiting', expiresAt, offeredTo: offeredTo.length }),
      this.sendToCounselors(offeredTo, { type: 'request-offered', ...offer }),
    ]);
    this.later(this.options.requestTimeoutSeconds * 1000 + 50, 'expire requests', () => this.expireDue());
    return request;
  }

  async cancel(principal: Principal, requestId: string): Promise<void> {
    const request = await new ConsultationsRepository(this.db).findRequest(requestId);
    if (!request || request.kioskId !== principal.subjectId) throw requestNotFound();
    if (!(await this.closeRequest(request, 'cancelled'))) throw requestClosed(await this.reread(request));
  }

  // ---- both sides ----

  async end(principal: Principal, consultationId: string): Promise<void> {
    const party = partyOf(principal);
    const repository = new ConsultationsRepository(this.db);
    const consultation = await repository.find(consultationId);
    checkParty(consultation, principal, party);
    const ended = await repository.end(consultationId, party.role, 'completed');
    if (!ended) throw new DomainError('conflict', 'consultation_ended', 'This consultation has already ended.');
    await this.announceEnded(ended);
  }

  /** the other side of a live consultation the caller is in (or why not) */
  async peerOf(principal: Principal, consultationId: string): Promise<Peer> {
    const party = partyOf(principal);
    const consultation = await new ConsultationsRepository(this.db).find(consultationId);
    checkParty(consultation, principal, party);
    if (consultation!.endedAt) throw notInConsultation('This consultation has ended.');
    return { party: peerIn(consultation!, party), storeId: consultation!.storeId };
  }

  /** a counselor's suggestion must name an item of the kiosk's store and options of that item */
  async checkSuggestion(storeId: string, itemId: string, optionIds: string[]): Promise<void> {
    const item = await new ConsultationsRepository(this.db).itemWithOptions(storeId, itemId);
    if (!item) throw new DomainError('invalid', 'unknown_item', 'There is no such item on this store’s menu.', { itemId });
    const foreign = optionIds.find((id) => !item.optionIds.has(id));
    if (foreign) throw new DomainError('invalid', 'unknown_option', 'An option does not belong to this item.', { optionId: foreign });
  }

  /** a message for the other side (signal, mirror, suggestion), to whichever instance holds its socket */
  relay(to: Party, message: ServerMessage): Promise<void> {
    return this.bus.publish(partyChannel(to), message);
  }

  newSuggestionId(): string {
    return randomUUID();
  }

  // ---- records ----

  async listMine(counselorId: string, date: string): Promise<ConsultationDetails[]> {
    return new ConsultationsRepository(this.db).listForCounselor(counselorId, date);
  }

  async listOfStore(storeId: string, query: { from: string; to: string; page: number; pageSize: number }) {
    checkRange(query.from, query.to);
    const { consultations, total } = await new ConsultationsRepository(this.db).listForStore(storeId, {
      from: query.from,
      to: query.to,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { consultations, total, page: query.page, pageSize: query.pageSize };
  }

  // ---- internals ----

  /** waiting requests past their time: the kiosk and the counselors who were shown them are told */
  async expireDue(): Promise<void> {
    const expired = await new ConsultationsRepository(this.db).expireDue();
    await Promise.all(expired.map((request) => this.announceClosed(request, 'expired')));
  }

  /** consultations a side has been gone from past the reconnect grace end, and their seats free up */
  async endAbandoned(): Promise<void> {
    const repository = new ConsultationsRepository(this.db);
    for (const consultation of await repository.endAbandoned(this.options.reconnectGraceSeconds, this.staleSeconds)) {
      await this.announceEnded(consultation);
    }
  }

  private async closeRequest(request: RequestRow, status: 'cancelled'): Promise<boolean> {
    if (!(await new ConsultationsRepository(this.db).decide(request.id, status))) return false;
    await this.announceClosed(request, status);
    return true;
  }

  /** a request was decided without a consultation: the kiosk first, then every counselor still shown it, at once */
  private async announceClosed(request: RequestRow, status: 'cancelled' | 'expired'): Promise<void> {
    const kioskTold = this.send({ role: 'kiosk', id: request.kioskId }, { type: 'request-status', requestId: request.id, status });
    const offerees = await new ConsultationsRepository(this.db).openOfferees(request.id);
    await Promise.all([kioskTold, this.sendToCounselors(offerees, { type: 'request-closed', requestId: request.id, reason: status })]);
  }

  private async announceEnded(consultation: ConsultationRow): Promise<void> {
    const message: ServerMessage = {
      type: 'consultation-ended',
      consultationId: consultation.id,
      by: consultation.endedBy ?? 'system',
      reason: consultation.outcome ?? ('completed' satisfies ConsultationOutcome),
    };
    await Promise.all([
      this.send({ role: 'kiosk', id: consultation.kioskId }, message),
      this.send({ role: 'counselor', id: consultation.counselorId }, message),
    ]);
    await this.announcePresence(consultation.counselorId);
    // a seat is free: requests still waiting may go to this counselor now
    await this.offerWaitingAndSend(consultation.counselorId, consultation.brandId);
  }

  private async announcePresence(counselorId: string): Promise<PresenceView> {
    const presence = await this.presence(counselorId);
    await this.send({ role: 'counselor', id: counselorId }, { type: 'presence', ...presence });
    return presence;
  }

  /** the brand's waiting requests, offered to this counselor if they are online with a free seat */
  private async offerWaiting(counselorId: string, brandId: string): Promise<OfferView[]> {
    const repository = new ConsultationsRepository(this.db);
    const presence = await repository.presenceOf(counselorId);
    if (presence?.status !== 'online') return [];
    if ((await repository.liveCount(counselorId)) >= presence.capacity) return [];
    const waiting = await repository.waitingFor(counselorId, brandId, OFFERS_PER_COUNSELOR);
    for (const request of waiting) await repository.addOffers(request.id, [counselorId]);
    return waiting.map((request) => ({
      requestId: request.id,
      kiosk: request.kiosk,
      createdAt: request.createdAt.toISOString(),
      expiresAt: request.expiresAt.toISOString(),
    }));
  }

  private async offerWaitingAndSend(counselorId: string, brandId: string): Promise<void> {
    if (!(await new ConsultationsRepository(this.db).isConnected({ role: 'counselor', id: counselorId }, this.staleSeconds))) return;
    for (const offer of await this.offerWaiting(counselorId, brandId)) {
      await this.send({ role: 'counselor', id: counselorId }, { type: 'request-offered', ...offer });
    }
  }

  private async view(consultation: ConsultationDetails, party: Party): Promise<ConsultationView> {
    const me = party.role === 'kiosk' ? consultation.kiosk : consultation.counselor;
    const peerLeftAt = party.role === 'kiosk' ? consultation.counselorLeftAt : consultation.kioskLeftAt;
    return {
      consultationId: consultation.id,
      requestId: consultation.requestId,
      startedAt: consultation.startedAt.toISOString(),
      kiosk: consultation.kiosk,
      counselor: consultation.counselor,
      peerConnected: peerLeftAt === null,
      video: await this.video.join(consultation.id, { role: party.role, id: party.id, name: me.name }),
    };
  }

  private async reread(request: RequestRow): Promise<RequestRow> {
    return (await new ConsultationsRepository(this.db).findRequest(request.id)) ?? request;
  }

  /**
   * Delivery is at most once, like the bus: a lost message must not undo what was decided.
   * The publish is issued before this returns (Bus.publish does its work up to the first await), so
   * messages sent without awaiting in between keep the order they were sent in: Redis runs one
   * connection's commands in order and every instance reads them through one subscriber; the
   * memory bus queues them in order. A fan-out therefore needs no awaiting one by one.
   */
  private async send(party: Party, message: ServerMessage): Promise<void> {
    await this.bus.publish(partyChannel(party), message).catch((error: unknown) => this.onError(error, `publish ${message.type}`));
  }

  /** the same message to many counselors, published at once: one shared round trip, not one each */
  private async sendToCounselors(counselorIds: string[], message: ServerMessage): Promise<void> {
    await Promise.all(counselorIds.map((id) => this.send({ role: 'counselor', id }, message)));
  }

  private later(ms: number, task: string, work: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void work().catch((error: unknown) => this.onError(error, task));
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}

function counselorOf(principal: Principal): string {
  if (principal.role !== 'counselor') throw new DomainError('forbidden', 'forbidden_role', 'Only a counselor does this.');
  return principal.subjectId;
}

function peerIn(consultation: ConsultationRow, party: Party): Party {
  return party.role === 'kiosk' ? { role: 'counselor', id: consultation.counselorId } : { role: 'kiosk', id: consultation.kioskId };
}

function checkParty(consultation: ConsultationRow | undefined, principal: Principal, party: Party): void {
  if (!consultation) throw notInConsultation();
  const mine = party.role === 'kiosk' ? consultation.kioskId : consultation.counselorId;
  if (mine === party.id) return;
  if (consultation.brandId !== principal.brandId) throw forbiddenBrand();
  throw notInConsultation();
}

function infoOf(kiosk: { id: string; name: string; storeId: string; storeName: string }) {
  return { id: kiosk.id, name: kiosk.name, storeId: kiosk.storeId, storeName: kiosk.storeName };
}

function notInConsultation(message = 'You are not in this consultation.'): DomainError {
  return new DomainError('forbidden', 'not_in_consultation', message);
}

function forbiddenBrand(): DomainError {
  return new DomainError('forbidden', 'forbidden_brand', 'This belongs to another brand.');
}

function requestNotFound(): DomainError {
  return new DomainError('not_found', 'request_not_found', 'There is no such request.');
}

function alreadyWaiting(requestId: string | undefined): DomainError {
  return new DomainError('conflict', 'already_requesting', 'This kiosk is already waiting for a counselor.', requestId ? { requestId } : undefined);
}

function requestClosed(request: RequestRow): DomainError {
  if (request.status === 'accepted') return new DomainError('conflict', 'request_taken', 'Another counselor has taken this request.');
  return new DomainError('conflict', 'request_closed', `This request is ${request.status}.`, { status: request.status });
}
