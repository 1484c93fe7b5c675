import { sql, type Kysely, type Migration } from 'kysely';

export const migration0015KioskDeviceSettings: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- one kiosk's own device settings (docs/devices.md): each column null means "the store's value",
      -- so a kiosk without a row, or with a null field, follows its store's device_settings
      create table kiosk_device_settings (
        kiosk_id uuid primary key references kiosks(id) on delete cascade,
        store_id uuid not null references stores(id),
        sample_interval_ms integer check (sample_interval_ms between 50 and 5000),
        arrive_below_cm double precision check (arrive_below_cm between 10 and 400),
        arrive_consecutive integer check (arrive_consecutive between 1 and 50),
        arrive_tolerance_cm double precision check (arrive_tolerance_cm between 0.5 and 100),
        leave_after_ms integer check (leave_after_ms between 1000 and 600000),
        frames_per_capture integer check (frames_per_capture between 1 and 10),
        frame_interval_ms integer check (frame_interval_ms between 0 and 5000),
        updated_at timestamptz not null default now()
      );
      create index kiosk_device_settings_store on kiosk_device_settings(store_id);
    `.execute(db);
  },
};
