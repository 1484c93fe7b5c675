// SQL for consultations: who is connected, counselors' presence and seats, requests and the
// counselors they were offered to, and the consultations themselves. Times are the database's
// (now()), so every instance judges ages by one clock.
import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { ConsultationOutcome, ConsultationParty, ConsultationRequestStatus, PresenceStatus } from '../../platform/db/schema.js';
import type { CounselorInfo, KioskInfo } from './consultations.messages.js';

export interface Party {
  role: ConsultationParty;
  id: string;
}

export interface KioskDetails extends KioskInfo {
  brandId: string;
  timeZone: string;
}

export interface RequestRow {
  id: string;
  kioskId: string;
  storeId: string;
  brandId: string;
  status: ConsultationRequestStatus;
  createdAt: Date;
  expiresAt: Date;
  consultationId: string | null;
}

export interface ConsultationRow {
  id: string;
  requestId: string;
  kioskId: string;
  storeId: string;
  brandId: string;
  counselorId: string;
  localDate: string;
  startedAt: Date;
  endedAt: Date | null;
  endedBy: ConsultationParty | 'system' | null;
  outcome: ConsultationOutcome | null;
  kioskLeftAt: Date | null;
  counselorLeftAt: Date | null;
}

export interface ConsultationDetails extends ConsultationRow {
  kiosk: KioskInfo;
  counselor: CounselorInfo;
}

export interface Presence {
  status: PresenceStatus;
  capacity: number;
}

const secondsAgo = (seconds: number) => sql<Date>`now() - make_interval(secs => ${seconds})`;

const consultationColumns = [
  'consultations.id',
  'consultations.request_id',
  'consultations.kiosk_id',
  'consultations.store_id',
  'consultations.brand_id',
  'consultations.counselor_id',
  'consultations.local_date',
  'consultations.started_at',
  'consultations.ended_at',
  'consultations.ended_by',
  'consultations.outcome',
  'consultations.kiosk_left_at',
  'consultations.counselor_left_at',
] as const;

const consultationFields = [
  'id',
  'request_id',
  'kiosk_id',
  'store_id',
  'brand_id',
  'counselor_id',
  'local_date',
  'started_at',
  'ended_at',
  'ended_by',
  'outcome',
  'kiosk_left_at',
  'counselor_left_at',
] as const;

type ConsultationRecord = {
  id: string;
  request_id: string;
  kiosk_id: string;
  store_id: string;
  brand_id: string;
  counselor_id: string;
  local_date: string;
  started_at: Date;
  ended_at: Date | null;
  ended_by: ConsultationParty | 'system' | null;
  outcome: ConsultationOutcome | null;
  kiosk_left_at: Date | null;
  counselor_left_at: Date | null;
};

function toConsultation(row: ConsultationRecord): ConsultationRow {
  return {
    id: row.id,
    requestId: row.request_id,
    kioskId: row.kiosk_id,
    storeId: row.store_id,
    brandId: row.brand_id,
    counselorId: row.counselor_id,
    localDate: row.local_date,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    endedBy: row.ended_by,
    outcome: row.outcome,
    kioskLeftAt: row.kiosk_left_at,
    counselorLeftAt: row.counselor_left_at,
  };
}

type RequestRecord = {
  id: string;
  kiosk_id: string;
  store_id: string;
  brand_id: string;
  status: ConsultationRequestStatus;
  created_at: Date;
  expires_at: Date;
  consultation_id: string | null;
};

const requestColumns = ['id', 'kiosk_id', 'store_id', 'brand_id', 'status', 'created_at', 'expires_at', 'consultation_id'] as const;

function toRequest(row: RequestRecord): RequestRow {
  return {
    id: row.id,
    kioskId: row.kiosk_id,
    storeId: row.store_id,
    brandId: row.brand_id,
    status: row.status,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    consultationId: row.consultation_id,
  };
}

export class ConsultationsRepository {
  constructor(private readonly db: Database) {}

  // ---- connections ----

  async addConnection(connectionId: string, party: Party): Promise<void> {
    await this.db.insertInto('consultation_connections').values({ id: connectionId, role: party.role, subject_id: party.id }).execute();
  }

  async removeConnection(connectionId: string): Promise<void> {
    await this.db.deleteFrom('consultation_connections').where('id', '=', connectionId).execute();
  }

  async touchConnections(connectionIds: string[]): Promise<void> {
    if (connectionIds.length === 0) return;
    await this.db.updateTable('consultation_connections').set({ seen_at: sql`now()` }).where('id', 'in', connectionIds).execute();
  }

  /** whether the party has a connection seen within `staleSeconds`, on any instance */
  async isConnected(party: Party, staleSeconds: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('consultation_connections')
      .select('id')
      .where('subject_id', '=', party.id)
      .where('role', '=', party.role)
      .where('seen_at', '>', secondsAgo(staleSeconds))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** rows left by instances that died without cleaning up */
  async purgeConnections(olderThanSeconds: number): Promise<void> {
    await this.db.deleteFrom('consultation_connections').where('seen_at', '<', secondsAgo(olderThanSeconds)).execute();
  }

  // ---- counselors and their presence ----

  async counselor(accountId: string): Promise<(CounselorInfo & { brandId: string }) | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .select(['id', 'display_name', 'brand_id'])
      .where('id', '=', accountId)
      .where('role', '=', 'counselor')
      .where('withdrawn_at', 'is', null)
      .executeTakeFirst();
    return row && { id: row.id, name: row.display_name, brandId: row.brand_id };
  }

  async ensurePresence(accountId: string, capacity: number): Promise<void> {
    await this.db
      .insertInto('counselor_presence')
      .values({ account_id: accountId, capacity })
      .onConflict((conflict) => conflict.column('account_id').doNothing())
      .execute();
  }

  async presenceOf(accountId: string, options: { lock?: boolean } = {}): Promise<Presence | undefined> {
    let query = this.db.selectFrom('counselor_presence').select(['status', 'capacity']).where('account_id', '=', accountId);
    if (options.lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async setPresence(accountId: string, values: { status?: PresenceStatus; capacity?: number }, defaultCapacity: number): Promise<Presence> {
    return this.db
      .insertInto('counselor_presence')
      .values({ account_id: accountId, status: values.status ?? 'away', capacity: values.capacity ?? defaultCapacity })
      .onConflict((conflict) => conflict.column('account_id').doUpdateSet({ ...values, updated_at: new Date() }))
      .returning(['status', 'capacity'])
      .executeTakeFirstOrThrow();
  }

  async liveCount(counselorId: string): Promise<number> {
    const row = await this.db
      .selectFrom('consultations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('counselor_id', '=', counselorId)
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** counselors of the brand who are online, connected now and have a free seat */
  async eligibleCounselors(brandId: string, staleSeconds: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('counselor_presence as p')
      .innerJoin('accounts as a', 'a.id', 'p.account_id')
      .select('p.account_id')
      .where('a.brand_id', '=', brandId)
      .where('a.withdrawn_at', 'is', null)
      .where('p.status', '=', 'online')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('consultation_connections as c')
            .select('c.id')
            .where('c.role', '=', 'counselor')
            .whereRef('c.subject_id', '=', 'p.account_id')
            .where('c.seen_at', '>', secondsAgo(staleSeconds)),
        ),
      )
      .where(
        (eb) =>
          eb
            .selectFrom('consultations as k')
            .select((inner) => inner.fn.countAll<number>().as('n'))
            .whereRef('k.counselor_id', '=', 'p.account_id')
            .where('k.ended_at', 'is', null),
        '<',
        (eb) => eb.ref('p.capacity'),
      )
      .orderBy('p.account_id')
      .execute();
    return rows.map((row) => row.account_id);
  }

  // ---- kiosks ----

  async kiosk(kioskId: string): Promise<KioskDetails | undefined> {
    const row = await this.db
      .selectFrom('kiosks')
      .innerJoin('stores', 'stores.id', 'kiosks.store_id')
      .select(['kiosks.id', 'kiosks.name', 'kiosks.store_id', 'stores.name as store_name', 'stores.brand_id', 'stores.time_zone'])
      .where('kiosks.id', '=', kioskId)
      .where('kiosks.deleted_at', 'is', null)
      .executeTakeFirst();
    return row && { id: row.id, name: row.name, storeId: row.store_id, storeName: row.store_name, brandId: row.brand_id, timeZone: row.time_zone };
  }

  /** serialises a kiosk's request and its acceptance, so that it is never waiting and in a consultation at once */
  async lockKiosk(kioskId: string): Promise<void> {
    await this.db.selectFrom('kiosks').select('id').where('id', '=', kioskId).forUpdate().execute();
  }

  // ---- requests and offers ----

  async insertRequest(values: {
    kioskId: string;
    storeId: string;
    brandId: string;
    status: 'waiting' | 'expired';
    timeoutSeconds: number;
  }): Promise<RequestRow> {
    const row = await this.db
      .insertInto('consultation_requests')
      .values({
        kiosk_id: values.kioskId,
        store_id: values.storeId,
        brand_id: values.brandId,
        status: values.status,
        expires_at: sql`now() + make_interval(secs => ${values.timeoutSeconds})`,
        decided_at: values.status === 'waiting' ? null : sql`now()`,
      })
      .returning(requestColumns)
      .executeTakeFirstOrThrow();
    return toRequest(row);
  }

  async findRequest(requestId: string): Promise<RequestRow | undefined> {
    const row = await this.db.selectFrom('consultation_requests').select(requestColumns).where('id', '=', requestId).executeTakeFirst();
    return row && toRequest(row);
  }

  async waitingRequestOf(kioskId: string): Promise<RequestRow | undefined> {
    const row = await this.db
      .selectFrom('consultation_requests')
      .select(requestColumns)
      .where('kiosk_id', '=', kioskId)
      .where('status', '=', 'waiting')
      .executeTakeFirst();
    return row && toRequest(row);
  }

  /** moves a request out of waiting; of two racing decisions, one wins (true) */
  async decide(requestId: string, to: Exclude<ConsultationRequestStatus, 'waiting'>, consultationId: string | null = null): Promise<boolean> {
    const result = await this.db
      .updateTable('consultation_requests')
      .set({ status: to, decided_at: sql`now()`, consultation_id: consultationId })
      .where('id', '=', requestId)
      .where('status', '=', 'waiting')
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** every waiting request past its time, now expired */
  async expireDue(): Promise<RequestRow[]> {
    const rows = await this.db
      .updateTable('consultation_requests')
      .set({ status: 'expired', decided_at: sql`now()` })
      .where('status', '=', 'waiting')
      .where('expires_at', '<=', sql<Date>`now()`)
      .returning(requestColumns)
      .execute();
    return rows.map(toRequest);
  }

  async addOffers(requestId: string, counselorIds: string[]): Promise<void> {
    if (counselorIds.length === 0) return;
    await this.db
      .insertInto('consultation_offers')
      .values(counselorIds.map((counselorId) => ({ request_id: requestId, counselor_id: counselorId })))
      .onConflict((conflict) => conflict.columns(['request_id', 'counselor_id']).doNothing())
      .execute();
  }

  async rejectOffer(requestId: string, counselorId: string): Promise<void> {
    await this.db
      .insertInto('consultation_offers')
      .values({ request_id: requestId, counselor_id: counselorId, rejected_at: sql`now()` })
      .onConflict((conflict) => conflict.columns(['request_id', 'counselor_id']).doUpdateSet({ rejected_at: sql`now()` }))
      .execute();
  }

  /** the counselors who were shown the request and have not said no */
  async openOfferees(requestId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('consultation_offers')
      .select('counselor_id')
      .where('request_id', '=', requestId)
      .where('rejected_at', 'is', null)
      .execute();
    return rows.map((row) => row.counselor_id);
  }

  /** the brand's waiting requests this counselor has not refused, oldest first */
  async waitingFor(counselorId: string, brandId: string, limit: number): Promise<Array<RequestRow & { kiosk: KioskInfo }>> {
    const rows = await this.db
      .selectFrom('consultation_requests as r')
      .innerJoin('kiosks', 'kiosks.id', 'r.kiosk_id')
      .innerJoin('stores', 'stores.id', 'r.store_id')
      .select([
        'r.id',
        'r.kiosk_id',
        'r.store_id',
        'r.brand_id',
        'r.status',
        'r.created_at',
        'r.expires_at',
        'r.consultation_id',
        'kiosks.name as kiosk_name',
        'stores.name as store_name',
      ])
      .where('r.brand_id', '=', brandId)
      .where('r.status', '=', 'waiting')
      .where('r.expires_at', '>', sql<Date>`now()`)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('consultation_offers as o')
              .select('o.request_id')
              .whereRef('o.request_id', '=', 'r.id')
              .where('o.counselor_id', '=', counselorId)
              .where('o.rejected_at', 'is not', null),
          ),
        ),
      )
      .orderBy('r.created_at')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      ...toRequest(row),
      kiosk: { id: row.kiosk_id, name: row.kiosk_name, storeId: row.store_id, storeName: row.store_name },
    }));
  }

  // ---- consultations ----

  async insertConsultation(values: { request: RequestRow; counselorId: string; localDate: string }): Promise<ConsultationRow> {
    const row = await this.db
      .insertInto('consultations')
      .values({
        request_id: values.request.id,
        kiosk_id: values.request.kioskId,
        store_id: values.request.storeId,
        brand_id: values.request.brandId,
        counselor_id: values.counselorId,
        local_date: values.localDate,
      })
      .returning(consultationFields)
      .executeTakeFirstOrThrow();
    return toConsultation(row);
  }

  async find(consultationId: string): Promise<ConsultationRow | undefined> {
    const row = await this.db.selectFrom('consultations').select(consultationColumns).where('id', '=', consultationId).executeTakeFirst();
    return row && toConsultation(row);
  }

  async liveOf(party: Party): Promise<ConsultationRow[]> {
    const rows = await this.db
      .selectFrom('consultations')
      .select(consultationColumns)
      .where(party.role === 'kiosk' ? 'kiosk_id' : 'counselor_id', '=', party.id)
      .where('ended_at', 'is', null)
      .orderBy('started_at')
      .execute();
    return rows.map(toConsultation);
  }

  /** a consultation with the names of its kiosk, store and counselor */
  async details(consultationIds: string[]): Promise<ConsultationDetails[]> {
    if (consultationIds.length === 0) return [];
    const rows = await this.detailsQuery().where('consultations.id', 'in', consultationIds).orderBy('consultations.started_at').execute();
    return rows.map(toDetails);
  }

  /** ends a live consultation; of two racing ends, one gets the row */
  async end(consultationId: string, by: ConsultationParty | 'system', outcome: ConsultationOutcome): Promise<ConsultationRow | undefined> {
    const row = await this.db
      .updateTable('consultations')
      .set({ ended_at: sql`now()`, ended_by: by, outcome })
      .where('id', '=', consultationId)
      .where('ended_at', 'is', null)
      .returning(consultationFields)
      .executeTakeFirst();
    return row && toConsultation(row);
  }

  /** the party's live consultations, marked as left now (those already marked keep their time) */
  async markLeft(party: Party): Promise<ConsultationRow[]> {
    const column = party.role === 'kiosk' ? 'kiosk_left_at' : 'counselor_left_at';
    const rows = await this.db
      .updateTable('consultations')
      .set({ [column]: sql`now()` })
      .where(party.role === 'kiosk' ? 'kiosk_id' : 'counselor_id', '=', party.id)
      .where('ended_at', 'is', null)
      .where(column, 'is', null)
      .returning(consultationFields)
      .execute();
    return rows.map((row) => toConsultation(row));
  }

  /** the party is back: its live consultations that it had left */
  async markBack(party: Party): Promise<ConsultationRow[]> {
    const column = party.role === 'kiosk' ? 'kiosk_left_at' : 'counselor_left_at';
    const rows = await this.db
      .updateTable('consultations')
      .set({ [column]: null })
      .where(party.role === 'kiosk' ? 'kiosk_id' : 'counselor_id', '=', party.id)
      .where('ended_at', 'is', null)
      .where(column, 'is not', null)
      .returning(consultationFields)
      .execute();
    return rows.map((row) => toConsultation(row));
  }

  /**
   * Ends the live consultations a side has been away from for longer than the grace: no fresh
   * connection, and gone since it left (or, when its instance died without saying so, since the start).
   */
  async endAbandoned(graceSeconds: number, staleSeconds: number): Promise<ConsultationRow[]> {
    const rows = await this.db
      .updateTable('consultations')
      .set({ ended_at: sql`now()`, ended_by: 'system', outcome: 'disconnected' })
      .where('ended_at', 'is', null)
      .where((eb) => {
        const gone = (
          role: ConsultationParty,
          subject: 'consultations.kiosk_id' | 'consultations.counselor_id',
          leftAt: 'kiosk_left_at' | 'counselor_left_at',
        ) =>
          eb.and([
            eb.not(
              eb.exists(
                eb
                  .selectFrom('consultation_connections as c')
                  .select('c.id')
                  .where('c.role', '=', role)
                  .whereRef('c.subject_id', '=', subject)
                  .where('c.seen_at', '>', secondsAgo(staleSeconds)),
              ),
            ),
            eb(eb.fn.coalesce(leftAt, 'started_at'), '<=', secondsAgo(graceSeconds)),
          ]);
        return eb.or([gone('kiosk', 'consultations.kiosk_id', 'kiosk_left_at'), gone('counselor', 'consultations.counselor_id', 'counselor_left_at')]);
      })
      .returning(consultationFields)
      .execute();
    return rows.map((row) => toConsultation(row));
  }

  async listForCounselor(counselorId: string, localDate: string): Promise<ConsultationDetails[]> {
    const rows = await this.detailsQuery()
      .where('consultations.counselor_id', '=', counselorId)
      .where('consultations.local_date', '=', localDate)
      .orderBy('consultations.started_at', 'desc')
      .execute();
    return rows.map(toDetails);
  }

  async listForStore(
    storeId: string,
    filter: { from: string; to: string; limit: number; offset: number },
  ): Promise<{ consultations: ConsultationDetails[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.detailsQuery()
        .where('consultations.store_id', '=', storeId)
        .where('consultations.local_date', '>=', filter.from)
        .where('consultations.local_date', '<=', filter.to)
        .orderBy('consultations.started_at', 'desc')
        .orderBy('consultations.id')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      this.db
        .selectFrom('consultations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('store_id', '=', storeId)
        .where('local_date', '>=', filter.from)
        .where('local_date', '<=', filter.to)
        .executeTakeFirstOrThrow(),
    ]);
    return { consultations: rows.map(toDetails), total: Number(count.n) };
  }

  // ---- menu checks for suggestions ----

  /** whether the item is on the store's menu and the options are its own */
  async itemWithOptions(storeId: string, itemId: string): Promise<{ optionIds: Set<string> } | undefined> {
    const item = await this.db
      .selectFrom('items')
      .select('id')
      .where('id', '=', itemId)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!item) return undefined;
    const options = await this.db
      .selectFrom('options')
      .innerJoin('option_groups', 'option_groups.id', 'options.group_id')
      .select('options.id')
      .where('option_groups.item_id', '=', itemId)
      .execute();
    return { optionIds: new Set(options.map((option) => option.id)) };
  }

  private detailsQuery() {
    return this.db
      .selectFrom('consultations')
      .innerJoin('kiosks', 'kiosks.id', 'consultations.kiosk_id')
      .innerJoin('stores', 'stores.id', 'consultations.store_id')
      .innerJoin('accounts', 'accounts.id', 'consultations.counselor_id')
      .select([...consultationColumns, 'kiosks.name as kiosk_name', 'stores.name as store_name', 'accounts.display_name as counselor_name']);
  }
}

function toDetails(row: ConsultationRecord & { kiosk_name: string; store_name: string; counselor_name: string }): ConsultationDetails {
  const consultation = toConsultation(row);
  return {
    ...consultation,
    kiosk: { id: row.kiosk_id, name: row.kiosk_name, storeId: row.store_id, storeName: row.store_name },
    counselor: { id: row.counselor_id, name: row.counselor_name },
  };
}
