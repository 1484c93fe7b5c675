import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.js';
import { migration0001Accounts } from './migrations/0001-accounts.js';
import { migration0002CatalogOrdersSales } from './migrations/0002-catalog-orders-sales.js';
import { migration0003Consultations } from './migrations/0003-consultations.js';
import { migration0004Customers } from './migrations/0004-customers.js';
import { migration0005DeviceSettings } from './migrations/0005-device-settings.js';
import { migration0006OrdersCustomerFk } from './migrations/0006-orders-customer-fk.js';
import { migration0007PlaceOrderFunction } from './migrations/0007-place-order-function.js';
import { migration0008DiningNotes } from './migrations/0008-dining-notes.js';
import { migration0009MenuFacts } from './migrations/0009-menu-facts.js';
import { migration0010StoreScreensKitchen } from './migrations/0010-store-screens-kitchen.js';
import { migration0011ReadyMessages } from './migrations/0011-ready-messages.js';
import { migration0012StaffCalls } from './migrations/0012-staff-calls.js';
import { migration0013KioskReach } from './migrations/0013-kiosk-reach.js';
import { migration0014FaceTemplates } from './migrations/0014-face-templates.js';
import { migration0015KioskDeviceSettings } from './migrations/0015-kiosk-device-settings.js';
import { migration0016KioskSpeechStatus } from './migrations/0016-kiosk-speech-status.js';
import { migration0017Payments } from './migrations/0017-payments.js';

// Migrations are listed here, in order; names sort as they run.
const migrations: Record<string, Migration> = {
  '0001-accounts': migration0001Accounts,
  '0002-catalog-orders-sales': migration0002CatalogOrdersSales,
  '0003-consultations': migration0003Consultations,
  '0004-customers': migration0004Customers,
  '0005-device-settings': migration0005DeviceSettings,
  '0006-orders-customer-fk': migration0006OrdersCustomerFk,
  '0007-place-order-function': migration0007PlaceOrderFunction,
  '0008-dining-notes': migration0008DiningNotes,
  '0009-menu-facts': migration0009MenuFacts,
  '0010-store-screens-kitchen': migration0010StoreScreensKitchen,
  '0011-ready-messages': migration0011ReadyMessages,
  '0012-staff-calls': migration0012StaffCalls,
  '0013-kiosk-reach': migration0013KioskReach,
  '0014-face-templates': migration0014FaceTemplates,
  '0015-kiosk-device-settings': migration0015KioskDeviceSettings,
  '0016-kiosk-speech-status': migration0016KioskSpeechStatus,
  '0017-payments': migration0017Payments,
};

class ListedMigrations implements MigrationProvider {
  async getMigrations() {
    return migrations;
  }
}

export async function migrateToLatest(db: Database): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new ListedMigrations() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
