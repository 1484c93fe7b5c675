import type { Database } from '../../platform/db/database.js';

export class SpeechRepository {
  constructor(private readonly db: Database) {}

  /** true when the kiosk exists in the store; the time of the first "unavailable" is kept while it lasts */
  async setSpeechStatus(storeId: string, kioskId: string, available: boolean): Promise<boolean> {
    const result = await this.db
      .updateTable('kiosks')
      .set((eb) => ({ speech_unavailable_since: available ? null : eb.fn.coalesce('speech_unavailable_since', eb.val(new Date())) }))
      .where('id', '=', kioskId)
      .where('store_id', '=', storeId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
