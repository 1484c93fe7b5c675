// Short-lived access tokens: compact JWTs signed with HMAC-SHA256. Only HS256 is accepted, the
// signature is compared in constant time, and the token says who the caller is and where they
// belong (store, brand) so most requests need no database read to authorise.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../platform/db/schema.js';

export interface Principal {
  role: Role;
  /** the account id, or the kiosk id */
  subjectId: string;
  sessionId: string;
  brandId: string;
  /** set for store owners and kiosks */
  storeId: string | null;
  /** epoch ms when the access token that named this principal expires */
  tokenExpiresAt?: number;
}

interface Claims {
  sub: string;
  role: Role;
  sid: string;
  brand: string;
  store: string | null;
  iat: number;
  exp: number;
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

export type TokenCheck = { ok: true; principal: Principal; expiresAt: number } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export class AccessTokens {
  constructor(
    private readonly secret: Buffer,
    readonly ttlSeconds: number,
  ) {}

  sign(principal: Principal, now = Date.now()): { token: string; expiresAt: Date } {
    const iat = Math.floor(now / 1000);
    const claims: Claims = {
      sub: principal.subjectId,
      role: principal.role,
      sid: principal.sessionId,
      brand: principal.brandId,
      store: principal.storeId,
      iat,
      exp: iat + this.ttlSeconds,
    };
    const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
    return { token: `${body}.${this.signature(body)}`, expiresAt: new Date(claims.exp * 1000) };
  }

  verify(token: string, now = Date.now()): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.signature(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: 'bad_signature' };
    }
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Claims;
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      expiresAt: claims.exp * 1000,
      principal: {
        role: claims.role,
        subjectId: claims.sub,
        sessionId: claims.sid,
        brandId: claims.brand,
        storeId: claims.store,
        tokenExpiresAt: claims.exp * 1000,
      },
    };
  }

  private signature(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
