// Who is calling over gRPC: every call carries the kiosk's device credentials in its metadata
// (x-kiosk-id: the login id, x-kiosk-secret: the secret shown once at provisioning). Checked like
// AuthService.loginKiosk does (the secret is 256 random bits, so SHA-256 is enough), with a short
// look-aside cache in this process because a device calls several times a second. A deleted kiosk
// is dropped from the cache at once (kiosks.service.ts announces it on the bus); a closed store
// within the cache's few seconds.
//
// Failed sign-ins are limited per kiosk id, and per peer address only at a much higher ceiling:
// behind a load balancer or NAT every kiosk shares one address, so one misconfigured kiosk must
// spend its own budget, never its neighbours'.
import type { Cache } from '../../platform/cache/cache.js';
import { enforceLimits, limitReached, type LimitRule } from '../../platform/cache/rate-limit.js';
import { DomainError, RateLimitedError } from '../../platform/http/errors.js';
import type { AuthRepository } from '../auth/auth.repository.js';
import { sha256 } from '../auth/secrets.js';

export interface DeviceIdentity {
  kioskId: string;
  storeId: string;
  brandId: string;
}

interface Cached extends DeviceIdentity {
  secretHash: string;
  expiresAt: number;
}

const CACHE_TTL_MS = 30_000;
const CACHE_MAX_ENTRIES = 10_000;
const MAX_CREDENTIAL_LENGTH = 256;
const LIMITED_MESSAGE = 'Too many failed device sign-ins for this kiosk id or from this address. Please wait a minute.';

export interface DeviceAuthLimits {
  /** failed sign-ins with one kiosk id */
  failuresPerKioskPerMinute: number;
  /** failed sign-ins from one peer address, whatever the kiosk id: a ceiling well above the per-kiosk one */
  failuresPerPeerPerMinute: number;
}

function identityOf(kiosk: Cached): DeviceIdentity {
  return { kioskId: kiosk.kioskId, storeId: kiosk.storeId, brandId: kiosk.brandId };
}

export class DeviceAuthenticator {
  private readonly known = new Map<string, Cached>();
  // bumped by every forgetKiosk: a look-up that started before must not cache what it read
  private generation = 0;

  constructor(
    private readonly repository: AuthRepository,
    private readonly cache: Cache,
    private readonly limits: DeviceAuthLimits,
  ) {}

  /** the kiosk behind a call's credentials, or a DomainError (unauthenticated, rate_limited) */
  async authenticate(loginId: string | undefined, secret: string | undefined, peer: string): Promise<DeviceIdentity> {
    const peerRule: LimitRule = { key: `device-auth-failures:peer:${peer}`, limit: this.limits.failuresPerPeerPerMinute, windowSeconds: 60 };
    const wellFormed = Boolean(loginId && secret) && loginId!.length <= MAX_CREDENTIAL_LENGTH && secret!.length <= MAX_CREDENTIAL_LENGTH;
    const rules: LimitRule[] = wellFormed
      ? [{ key: `device-auth-failures:kiosk:${loginId}`, limit: this.limits.failuresPerKioskPerMinute, windowSeconds: 60 }, peerRule]
      : [peerRule];
    const limited = (await Promise.all(rules.map((rule) => limitReached(this.cache, rule)))).some(Boolean);
    if (limited) {
      // no database read while limited; a kiosk this process has just seen sign in keeps working
      const cached = wellFormed ? this.fresh(loginId!) : undefined;
      if (cached && cached.secretHash === sha256(secret!)) return identityOf(cached);
      throw new RateLimitedError(60, LIMITED_MESSAGE);
    }
    const fail = async (code: string, message: string): Promise<never> => {
      await enforceLimits(this.cache, rules, LIMITED_MESSAGE);
      throw new DomainError('unauthenticated', code, message);
    };
    if (!loginId || !secret) {
      return fail('device_credentials_missing', 'Send the kiosk login id as x-kiosk-id and its secret as x-kiosk-secret.');
    }
    if (!wellFormed) {
      return fail('invalid_device_credentials', 'The kiosk id or secret is not correct.');
    }
    const kiosk = await this.lookUp(loginId);
    if (!kiosk || kiosk.secretHash !== sha256(secret)) {
      // one message for an unknown, a deleted and a wrong credential: nothing to learn from it
      return fail('invalid_device_credentials', 'The kiosk id or secret is not correct, or the kiosk was removed.');
    }
    return identityOf(kiosk);
  }

  /** a deleted kiosk stops authenticating at once */
  forgetKiosk(kioskId: string): void {
    this.generation += 1;
    for (const [loginId, entry] of this.known) {
      if (entry.kioskId === kioskId) this.known.delete(loginId);
    }
  }

  private fresh(loginId: string): Cached | undefined {
    const cached = this.known.get(loginId);
    return cached && cached.expiresAt > Date.now() ? cached : undefined;
  }

  private async lookUp(loginId: string): Promise<Cached | undefined> {
    const now = Date.now();
    const cached = this.fresh(loginId);
    if (cached) return cached;
    this.known.delete(loginId);
    const generation = this.generation;
    const row = await this.repository.findActiveKiosk(loginId);
    if (!row?.storeId) return undefined;
    const entry: Cached = { kioskId: row.id, storeId: row.storeId, brandId: row.brandId, secretHash: row.secretHash, expiresAt: now + CACHE_TTL_MS };
    if (generation !== this.generation) return entry;
    if (this.known.size >= CACHE_MAX_ENTRIES) this.known.delete(this.known.keys().next().value!);
    this.known.set(loginId, entry);
    return entry;
  }
}
