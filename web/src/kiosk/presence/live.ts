// What the kiosk's own live stream says (GET /api/stores/:storeId/kiosks/:kioskId/live): the
// device noticed someone, a face was or was not found, the analysis came back, the customer left.
// Never an embedding or a photo, and nothing of a member: a face that matched one comes only as the
// opaque id of a pending confirmation, which the customer answers with their phone's last 4 digits
// (customersApi.confirmByDigits); only then does the member (masked) reach this screen.
import type { Recommendations } from '../../api/client';

export type PresenceState = 'waiting' | 'present' | 'analysing';

export interface LiveMember {
  customerId: string;
  /** e.g. "김*수"; may be empty when the member gave no name */
  maskedName: string;
  phoneLast4: string;
  recommendations: Recommendations;
}

export interface LiveAnalysis {
  analysisId: string;
  faceFound: boolean;
  age?: number | null;
  gender?: string | null;
  /** the server's judgement (its age threshold is configuration): offer senior mode first */
  senior: boolean;
  /** a face matched a member: asked to key in the last 4 digits of their phone */
  confirmationId: string | null;
}

export type LiveEvent =
  | { type: 'state'; state: PresenceState }
  | { type: 'face'; analysisId: string; faceFound: boolean }
  | { type: 'analysis'; analysis: LiveAnalysis }
  | { type: 'reset'; reason: string };

function object(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** a member as the confirmation answers (masked), checked */
export function liveMember(value: unknown): LiveMember | null {
  const raw = object(value);
  if (!raw || typeof raw.customerId !== 'string') return null;
  const recommendations = object(raw.recommendations);
  return {
    customerId: raw.customerId,
    maskedName: typeof raw.maskedName === 'string' ? raw.maskedName : '',
    phoneLast4: typeof raw.phoneLast4 === 'string' ? raw.phoneLast4 : '',
    recommendations: {
      topItems: Array.isArray(recommendations?.topItems) ? (recommendations.topItems as Recommendations['topItems']) : [],
      lastOrder: (object(recommendations?.lastOrder) as Recommendations['lastOrder'] | undefined) ?? null,
    },
  };
}

/** one event off the stream, checked; undefined for anything this screen cannot use */
export function parseLiveEvent(name: string, data: string): LiveEvent | undefined {
  let raw: Record<string, unknown> | undefined;
  try {
    raw = object(JSON.parse(data));
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  switch (name) {
    case 'state':
      return raw.state === 'waiting' || raw.state === 'present' || raw.state === 'analysing' ? { type: 'state', state: raw.state } : undefined;
    case 'face':
      return { type: 'face', analysisId: String(raw.analysisId ?? ''), faceFound: raw.faceFound === true };
    case 'analysis':
      if (typeof raw.analysisId !== 'string') return undefined;
      return {
        type: 'analysis',
        analysis: {
          analysisId: raw.analysisId,
          faceFound: raw.faceFound === true,
          age: typeof raw.age === 'number' ? raw.age : null,
          gender: typeof raw.gender === 'string' ? raw.gender : null,
          senior: raw.senior === true,
          confirmationId: typeof raw.confirmationId === 'string' && raw.confirmationId !== '' ? raw.confirmationId : null,
        },
      };
    case 'reset':
      return { type: 'reset', reason: typeof raw.reason === 'string' ? raw.reason : '' };
    default:
      return undefined;
  }
}

export const liveEventNames = ['state', 'face', 'analysis', 'reset'] as const;
