import { sql, type Kysely, type Migration } from 'kysely';

export const migration0005DeviceSettings: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- a store's kiosk device settings (docs/devices.md); a store without a row uses the defaults
      create table device_settings (
        store_id uuid primary key references stores(id),
        sample_interval_ms integer not null check (sample_interval_ms between 50 and 5000),
        arrive_below_cm double precision not null check (arrive_below_cm between 10 and 400),
        arrive_consecutive integer not null check (arrive_consecutive between 1 and 50),
        arrive_tolerance_cm double precision not null check (arrive_tolerance_cm between 0.5 and 100),
        leave_after_ms integer not null check (leave_after_ms between 1000 and 600000),
        frames_per_capture integer not null check (frames_per_capture between 1 and 10),
        frame_interval_ms integer not null check (frame_interval_ms between 0 and 5000),
        updated_at timestamptz not null default now()
      );
    `.execute(db);
  },
};
