import { sql, type Kysely, type Migration } from 'kysely';

export const migration0013KioskReach: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- where a kiosk's screen is (docs/accessibility.md#reach): its visible height and the height of
      -- its bottom edge above the floor, in whole centimetres, set by the owner in the POS. The
      -- low-position layout puts every control in the part of the screen below the reach limit;
      -- both null (not measured yet) means the lower 45 % of the screen.
      alter table kiosks
        add column screen_height_cm integer check (screen_height_cm between 10 and 300),
        add column screen_bottom_cm integer check (screen_bottom_cm between 0 and 250),
        add constraint kiosks_screen_both_or_neither check ((screen_height_cm is null) = (screen_bottom_cm is null));
    `.execute(db);
  },
};
