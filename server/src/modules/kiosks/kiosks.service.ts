// A store owner provisions the store's kiosks. Credentials are generated here: a login id that
// can be typed on the device and a 256-bit secret shown once and stored only as a hash.
import { randomInt } from 'node:crypto';
import type { Database } from '../../platform/db/database.js';
import type { PrinterStatus, ScreenKind, TerminalStatus } from '../../platform/db/schema.js';
import { DomainError } from '../../platform/http/errors.js';
import { AuthRepository } from '../auth/auth.repository.js';
import type { AuthService } from '../auth/auth.service.js';
import { randomSecret, sha256 } from '../auth/secrets.js';
import { KiosksRepository, type Kiosk, type KioskChanges } from './kiosks.repository.js';
import { MIN_REACHABLE_CM, REACH_LIMIT_CM, reachBand } from './reach.js';

const LOGIN_ID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const MAX_KIOSKS_PER_STORE = 100;

/** a kiosk's card terminal and receipt printer as the devices module sees them (offline when its agent is away) */
export interface KioskPeripherals {
  cardTerminal: TerminalStatus;
  printer: PrinterStatus;
  reportedAt: Date | null;
}

export class KiosksService {
  constructor(
    private readonly db: Database,
    private readonly auth: AuthService,
    /** told after a kiosk is deleted (the devices module closes its gRPC stream and forgets its credentials) */
    private readonly onRemoved: (kiosk: { kioskId: string; storeId: string }) => Promise<void> = async () => undefined,
    /** the devices module's view of a kiosk's printer and card terminal, for the POS's list */
    private readonly peripheralsOf?: (kioskId: string) => Promise<KioskPeripherals>,
  ) {}

  async list(storeId: string): Promise<Array<Kiosk & { peripherals?: KioskPeripherals }>> {
    const kiosks = await new KiosksRepository(this.db).listOfStore(storeId);
    return Promise.all(kiosks.map((kiosk) => this.withPeripherals(kiosk)));
  }

  /** a kiosk with its printer and terminal (a store screen, kitchen or pickup, has neither) */
  private async withPeripherals(kiosk: Kiosk): Promise<Kiosk & { peripherals?: KioskPeripherals }> {
    if (!this.peripheralsOf || kiosk.kind !== 'kiosk') return kiosk;
    return { ...kiosk, peripherals: await this.peripheralsOf(kiosk.id) };
  }

  /** what a kiosk knows about itself */
  async describe(kioskId: string) {
    const kiosk = await new KiosksRepository(this.db).findWithStore(kioskId);
    if (!kiosk) throw new DomainError('unauthenticated', 'kiosk_not_found', 'This kiosk no longer exists.');
    return {
      id: kiosk.id,
      name: kiosk.name,
      loginId: kiosk.loginId,
      brand: { id: kiosk.brandId, name: kiosk.brandName },
      store: { id: kiosk.storeId, name: kiosk.storeName },
      screen: { heightCm: kiosk.screenHeightCm, bottomCm: kiosk.screenBottomCm, reachBand: reachBand(kiosk.screenHeightCm, kiosk.screenBottomCm) },
      // the screen offers card payment only with a ready terminal; the live stream's `peripherals` events keep it current
      peripherals: this.peripheralsOf
        ? await this.peripheralsOf(kiosk.id).then(({ cardTerminal, printer }) => ({ cardTerminal, printer }))
        : { cardTerminal: 'none' as const, printer: 'none' as const },
    };
  }

  /** adds a kiosk, or with `kind` a kitchen display or a pickup board that signs in the same way */
  async provision(
    storeId: string,
    name: string,
    kind: ScreenKind = 'kiosk',
  ): Promise<{ kiosk: Kiosk & { peripherals?: KioskPeripherals }; credentials: { loginId: string; secret: string } }> {
    const secret = randomSecret();
    const loginId = newLoginId();
    const kiosk = await this.db.transaction().execute(async (trx) => {
      const repository = new KiosksRepository(trx);
      // the store row is the lock: concurrent additions are counted one after the other
      await repository.lockStore(storeId);
      if ((await repository.listOfStore(storeId)).length >= MAX_KIOSKS_PER_STORE) {
        throw new DomainError('conflict', 'kiosk_limit_reached', `A store can have at most ${MAX_KIOSKS_PER_STORE} kiosks.`);
      }
      return repository.insert(storeId, cleanName(name), loginId, sha256(secret), kind);
    });
    return { kiosk: await this.withPeripherals(kiosk), credentials: { loginId, secret } };
  }

  /** renames a kiosk and/or sets where its screen is (both heights, or both null: not measured) */
  async update(storeId: string, kioskId: string, changes: KioskChanges): Promise<Kiosk & { peripherals?: KioskPeripherals }> {
    const cleaned: KioskChanges = { ...changes, ...(changes.name !== undefined ? { name: cleanName(changes.name) } : {}) };
    if (changes.screenHeightCm === undefined && changes.screenBottomCm === undefined) {
      const kiosk = await new KiosksRepository(this.db).update(storeId, kioskId, cleaned);
      if (!kiosk) throw kioskNotFound();
      return this.withPeripherals(kiosk);
    }
    const updated = await this.db.transaction().execute(async (trx) => {
      const repository = new KiosksRepository(trx);
      const current = await repository.find(storeId, kioskId);
      if (!current) throw kioskNotFound();
      checkScreen(
        changes.screenHeightCm !== undefined ? changes.screenHeightCm : current.screenHeightCm,
        changes.screenBottomCm !== undefined ? changes.screenBottomCm : current.screenBottomCm,
      );
      const kiosk = await repository.update(storeId, kioskId, cleaned);
      if (!kiosk) throw kioskNotFound();
      return kiosk;
    });
    return this.withPeripherals(updated);
  }

  /** deletes a kiosk; its sessions end in the same transaction, so its tokens stop working at once */
  async remove(storeId: string, kioskId: string): Promise<void> {
    const revoked = await this.db.transaction().execute(async (trx) => {
      if (!(await new KiosksRepository(trx).markDeleted(storeId, kioskId))) throw kioskNotFound();
      return new AuthRepository(trx).revokeSessionsOf(kioskId, 'kiosk_deleted');
    });
    await this.auth.markRevoked(revoked);
    await this.onRemoved({ kioskId, storeId });
  }
}

function kioskNotFound(): DomainError {
  return new DomainError('not_found', 'kiosk_not_found', 'There is no such kiosk in this store.');
}

/** the screen's place as it would be: both heights or neither, and enough of it within reach */
function checkScreen(heightCm: number | null, bottomCm: number | null): void {
  if ((heightCm === null) !== (bottomCm === null)) {
    throw new DomainError('invalid', 'screen_mounting_incomplete', "Give both the screen's height and the height of its bottom edge, or clear both.");
  }
  if (heightCm === null || bottomCm === null) return;
  if (REACH_LIMIT_CM - bottomCm < MIN_REACHABLE_CM) {
    throw new DomainError(
      'invalid',
      'screen_out_of_reach',
      `Less than ${MIN_REACHABLE_CM} cm of this screen is below ${REACH_LIMIT_CM} cm from the floor: a seated customer could not reach its controls. Mount it lower.`,
      { reachLimitCm: REACH_LIMIT_CM, reachable: reachBand(heightCm, bottomCm) },
    );
  }
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new DomainError('invalid', 'invalid_kiosk_name', 'Give the kiosk a name.');
  return trimmed;
}

function newLoginId(): string {
  let id = 'k-';
  for (let i = 0; i < 10; i++) id += LOGIN_ID_ALPHABET[randomInt(LOGIN_ID_ALPHABET.length)];
  return id;
}
