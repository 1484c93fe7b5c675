// The consultation socket (/ws) for a kiosk or a counselor: connects with the session's access
// token, renews the token on the open socket before it expires (`auth`), and reconnects with
// backoff when the socket goes (the server resumes live consultations on reconnect). A socket that
// could not even open is usually a refused token: the session is checked over HTTP first, which
// refreshes it or sends the app to the login page.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, freshAccessToken, sessions } from '../api/client';
import type { ClientMessage, ServerMessage } from './protocol';

export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** renew the token this long before it expires */
const RENEW_BEFORE_MS = 60_000;
const MAX_BACKOFF_MS = 10_000;

export class ConsultationSocket {
  private ws: WebSocket | undefined;
  private stopped = false;
  private attempt = 0;
  private retryTimer: number | undefined;
  private renewTimer: number | undefined;

  constructor(
    private readonly role: 'kiosk' | 'counselor',
    private readonly onMessage: (message: ServerMessage) => void,
    private readonly onState: (state: SocketState) => void,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.renewTimer);
    this.ws?.close(1000);
    this.ws = undefined;
    this.onState('closed');
  }

  /** false when the socket is not open (the message is not queued: the screen is rebuilt from `hello`) */
  send(message: ClientMessage & { id?: string }): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.onState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let token: string | undefined;
    try {
      token = await freshAccessToken(this.role, 60);
    } catch {
      return this.retry(); // the server is away
    }
    if (!token || this.stopped) return this.stop(); // the session is over: the app shows the login
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${window.location.host}/ws?access_token=${encodeURIComponent(token)}`);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
    };
    ws.onmessage = (event) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === 'hello') {
        this.attempt = 0;
        this.onState('open');
        this.scheduleRenewal();
      } else if (message.type === 'auth-ok') {
        this.scheduleRenewal();
      }
      this.onMessage(message);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      window.clearTimeout(this.renewTimer);
      if (this.stopped) return;
      void (opened ? this.retry() : this.checkSessionThenRetry());
    };
  }

  /** a refused handshake: a /api/me call refreshes an expired token, or ends a dead session */
  private async checkSessionThenRetry(): Promise<void> {
    try {
      await api.me(this.role);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.stop();
    }
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    this.onState('reconnecting');
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt += 1;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => void this.connect(), delay);
  }

  private scheduleRenewal(): void {
    window.clearTimeout(this.renewTimer);
    const expiresAt = Date.parse(sessions.get(this.role)?.accessTokenExpiresAt ?? '');
    if (!Number.isFinite(expiresAt)) return;
    const delay = Math.max(5_000, expiresAt - Date.now() - RENEW_BEFORE_MS);
    this.renewTimer = window.setTimeout(() => void this.renew(), delay);
  }

  private async renew(): Promise<void> {
    try {
      const token = await freshAccessToken(this.role, RENEW_BEFORE_MS / 1000 + 30);
      if (token) this.send({ type: 'auth', accessToken: token });
    } catch {
      this.scheduleRenewal(); // the server is away now; the socket will tell
    }
  }
}

/** the socket for as long as the component is mounted (and `enabled`) */
export function useConsultationSocket(role: 'kiosk' | 'counselor', enabled: boolean, onMessage: (message: ServerMessage) => void) {
  const [state, setState] = useState<SocketState>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const socket = useRef<ConsultationSocket>(undefined);

  useEffect(() => {
    if (!enabled) return;
    const created = new ConsultationSocket(role, (message) => handler.current(message), setState);
    socket.current = created;
    created.start();
    return () => {
      created.stop();
      if (socket.current === created) socket.current = undefined;
    };
  }, [role, enabled]);

  const send = useCallback((message: ClientMessage & { id?: string }) => socket.current?.send(message) ?? false, []);
  return { state, send };
}
