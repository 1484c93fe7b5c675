// Video for a consultation. Built in: the browsers talk WebRTC to each other and the server only
// relays their signalling; ICE servers come from configuration, with time-limited TURN
// credentials in coturn's REST style. LiveKit (or OpenVidu 3, which speaks its SDK): each party
// gets a token for a room named after the consultation.
import { createHmac } from 'node:crypto';
import type { Config } from '../../config.js';
import type { IceServer, VideoJoin } from './consultations.messages.js';

export interface VideoParty {
  role: 'kiosk' | 'counselor';
  id: string;
  name: string;
}

/** how long TURN credentials stay valid (coturn checks the expiry in the user name) */
export const TURN_CREDENTIAL_TTL_SECONDS = 86_400;
/** how long a LiveKit token admits its holder to the room */
export const LIVEKIT_TOKEN_TTL_SECONDS = 6 * 3600;

/** coturn's REST scheme (use-auth-secret): user name `expiry:id`, password base64(HMAC-SHA1(secret, user name)) */
export function turnCredentials(secret: string, subjectId: string, now = Date.now(), ttlSeconds = TURN_CREDENTIAL_TTL_SECONDS) {
  const username = `${Math.floor(now / 1000) + ttlSeconds}:${subjectId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export class Video {
  constructor(private readonly config: Config['consultations']) {}

  get provider(): 'builtin' | 'livekit' {
    return this.config.video.provider;
  }

  /** STUN as configured, and TURN with credentials of this subject's own */
  iceServers(subjectId: string, now = Date.now()): IceServer[] {
    const servers: IceServer[] = [];
    if (this.config.stunUrls.length > 0) servers.push({ urls: this.config.stunUrls });
    if (this.config.turn) servers.push({ urls: this.config.turn.urls, ...turnCredentials(this.config.turn.secret, subjectId, now) });
    return servers;
  }

  /** what one party needs to join the consultation's video */
  async join(consultationId: string, party: VideoParty): Promise<VideoJoin> {
    const video = this.config.video;
    if (video.provider === 'builtin') return { provider: 'builtin', iceServers: this.iceServers(party.id) };
    // loaded only when configured: nothing of LiveKit is needed otherwise
    const { AccessToken } = await import('livekit-server-sdk');
    const token = new AccessToken(video.apiKey, video.apiSecret, {
      identity: party.id,
      name: party.name,
      ttl: LIVEKIT_TOKEN_TTL_SECONDS,
      metadata: JSON.stringify({ role: party.role }),
    });
    token.addGrant({ room: consultationId, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
    return { provider: 'livekit', url: video.url, room: consultationId, token: await token.toJwt() };
  }
}
