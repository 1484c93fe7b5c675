// A provisioned kiosk on a real test server, made through the API as a store owner does, plus the
// kiosk screen's live stream (server-sent events) to see what the agent's reports did.
import { createBrand, signUp, type TestServer } from '../../../server/test/support/test-server.js';

export interface ProvisionedKiosk {
  storeId: string;
  kioskId: string;
  loginId: string;
  secret: string;
  ownerToken: string;
  kioskToken: string;
}

export async function provisionKiosk(server: TestServer): Promise<ProvisionedKiosk> {
  const brand = await createBrand(server);
  const owner = await signUp(server, 'owner', { brandCode: brand.code });
  const storeId = owner.profile.store.id as string;
  const created = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: owner.accessToken, body: { name: 'agent test kiosk' } });
  if (created.status !== 201) throw new Error(`provisioning failed: ${JSON.stringify(created.body)}`);
  const { loginId, secret } = created.body.credentials as { loginId: string; secret: string };
  const login = await server.api('POST', '/api/auth/kiosk-login', { body: { loginId, secret } });
  if (login.status !== 200) throw new Error(`kiosk login failed: ${JSON.stringify(login.body)}`);
  return { storeId, kioskId: login.body.kioskId, loginId, secret, ownerToken: owner.accessToken, kioskToken: login.body.accessToken };
}

export interface LiveEvent {
  event: string;
  id?: string;
  data: any;
}

/** the kiosk's own live stream, as its screen reads it */
export class LiveStream {
  readonly events: LiveEvent[] = [];
  private readonly controller = new AbortController();

  private constructor() {}

  static async open(server: TestServer, kiosk: ProvisionedKiosk): Promise<LiveStream> {
    const stream = new LiveStream();
    const response = await fetch(`${server.url}/api/stores/${kiosk.storeId}/kiosks/${kiosk.kioskId}/live?access_token=${kiosk.kioskToken}`, {
      signal: stream.controller.signal,
    });
    if (response.status !== 200 || !response.body) throw new Error(`live stream: ${response.status} ${await response.text()}`);
    void stream.read(response.body);
    await stream.waitFor('ready');
    return stream;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: LiveEvent = { event: 'message', data: '' };
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event.event = line.slice(6).trim();
            else if (line.startsWith('id:')) event.id = line.slice(3).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length === 0) continue; // a keep-alive comment
          try {
            event.data = JSON.parse(data.join('\n'));
          } catch {
            event.data = data.join('\n');
          }
          this.events.push(event);
        }
      }
    } catch {
      // closed by close()
    }
  }

  async waitFor(event: string, matches: (data: any) => boolean = () => true, timeoutMs = 30_000): Promise<LiveEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((candidate) => candidate.event === event && matches(candidate.data));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no "${event}" event on the live stream within ${timeoutMs} ms; saw ${JSON.stringify(this.events)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  close(): void {
    this.controller.abort();
  }
}
