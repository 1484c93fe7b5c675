// An owner (or counselor) account made the way a person makes one, over HTTP: email code (read
// from the dev outbox), verification, sign-up with a brand code, login. Needs the outbox: no SMTP_URL, and
// DEV_PAGES on (support/serve-app.ts turns it on).
import { randomBytes } from 'node:crypto';
import http from 'node:http';

export const OWNER_PASSWORD = 'bench password 1234';

export interface Owner {
  email: string;
  password: string;
  accessToken: string;
}

/**
 * A JSON request. `from` is the loopback address to send it from (127.0.0.2, 127.0.1.7, ...): on
 * Linux the whole 127/8 reaches a server on 127.0.0.1, which sees that address as the client, so
 * many sign-ups stay within the per-address limits the server does not let us raise.
 */
function call(url: string, method: string, path: string, body?: unknown, from?: string): Promise<any> {
  const target = new URL(path, url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> =
    payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers, localAddress: from },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((response.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: ${response.statusCode} ${text}`));
          else resolve(text ? JSON.parse(text) : null);
        });
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export function signUpOwner(url: string, brandCode: string, from?: string): Promise<Owner> {
  return signUp(url, 'owner', brandCode, from);
}

/** a counselor of the brand, made the same way (no store) */
export function signUpCounselor(url: string, brandCode: string, from?: string): Promise<Owner> {
  return signUp(url, 'counselor', brandCode, from);
}

async function signUp(url: string, role: 'owner' | 'counselor', brandCode: string, from?: string): Promise<Owner> {
  const email = `bench-${role}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@example.com`;
  const password = OWNER_PASSWORD;
  await call(url, 'POST', '/api/email-codes', { email }, from);
  const outbox = await call(url, 'GET', `/dev/outbox?to=${encodeURIComponent(email)}`, undefined, from);
  const code = String(outbox?.messages?.[0]?.text ?? '').match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code in the outbox for ${email}`);
  const { verificationToken } = await call(url, 'POST', '/api/email-codes/verify', { email, code }, from);
  const account = { email, password, brandCode, verificationToken };
  if (role === 'owner') await call(url, 'POST', '/api/accounts/owners', { ...account, storeName: 'Bench store' }, from);
  else await call(url, 'POST', '/api/accounts/counselors', account, from);
  const { accessToken } = await call(url, 'POST', '/api/auth/login', { role, email, password }, from);
  const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  if (me.status !== 200) throw new Error(`GET /api/me: ${me.status} ${await me.text()}`);
  return { email, password, accessToken };
}
