// SQL for a store's payment settings and the business details its receipts print (stores columns,
// migration 0017). Orders' money (payments, refunds, expiry) is in the orders repository.
import type { Database } from '../../platform/db/database.js';

export interface PaymentSettings {
  kitchenStartsUnpaid: boolean;
  unpaidExpiryMinutes: number;
  business: {
    name: string | null;
    /** 10 digits, no hyphens */
    registrationNumber: string | null;
    address: string | null;
    phone: string | null;
  };
}

export class PaymentsRepository {
  constructor(private readonly db: Database) {}

  async settings(storeId: string): Promise<PaymentSettings | undefined> {
    const row = await this.db
      .selectFrom('stores')
      .select(['kitchen_starts_unpaid', 'unpaid_expiry_minutes', 'business_name', 'business_registration_number', 'business_address', 'business_phone'])
      .where('id', '=', storeId)
      .executeTakeFirst();
    return (
      row && {
        kitchenStartsUnpaid: row.kitchen_starts_unpaid,
        unpaidExpiryMinutes: row.unpaid_expiry_minutes,
        business: {
          name: row.business_name,
          registrationNumber: row.business_registration_number,
          address: row.business_address,
          phone: row.business_phone,
        },
      }
    );
  }

  async saveSettings(storeId: string, settings: PaymentSettings): Promise<void> {
    await this.db
      .updateTable('stores')
      .set({
        kitchen_starts_unpaid: settings.kitchenStartsUnpaid,
        unpaid_expiry_minutes: settings.unpaidExpiryMinutes,
        business_name: settings.business.name,
        business_registration_number: settings.business.registrationNumber,
        business_address: settings.business.address,
        business_phone: settings.business.phone,
      })
      .where('id', '=', storeId)
      .execute();
  }
}
