// An owner account made the way a person makes one, over HTTP: email code (read from the dev
// outbox), verification, sign-up with a brand code, login. Needs the outbox: no SMTP_URL, and
// DEV_PAGES on (support/serve-app.ts turns it on).
import { randomBytes } from 'node:crypto';

export const OWNER_PASSWORD = 'bench password 1234';

export interface Owner {
  email: string;
  password: string;
  accessToken: string;
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export async function signUpOwner(url: string, brandCode: string): Promise<Owner> {
  const email = `bench-owner-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}@example.com`;
  const password = OWNER_PASSWORD;
  await call(url, 'POST', '/api/email-codes', { email });
  const outbox = await call(url, 'GET', `/dev/outbox?to=${encodeURIComponent(email)}`);
  const code = String(outbox?.messages?.[0]?.text ?? '').match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code in the outbox for ${email}`);
  const { verificationToken } = await call(url, 'POST', '/api/email-codes/verify', { email, code });
  await call(url, 'POST', '/api/accounts/owners', { email, password, brandCode, verificationToken, storeName: 'Bench store' });
  const { accessToken } = await call(url, 'POST', '/api/auth/login', { role: 'owner', email, password });
  const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  if (me.status !== 200) throw new Error(`GET /api/me: ${me.status} ${await me.text()}`);
  return { email, password, accessToken };
}
