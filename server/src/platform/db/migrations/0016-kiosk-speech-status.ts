import { sql, type Kysely, type Migration } from 'kysely';

export const migration0016KioskSpeechStatus: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- a kiosk that cannot speak (no voice in its browser and the server's text to speech failing)
      -- says so, and the POS's kiosk list shows it; null: it can speak, or never said otherwise
      alter table kiosks add column speech_unavailable_since timestamptz;
    `.execute(db);
  },
};
