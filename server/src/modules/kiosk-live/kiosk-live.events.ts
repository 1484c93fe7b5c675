// What a kiosk's own screen hears on its live stream (docs/devices.md#the-live-kiosk-screen).
// Nothing here may ever carry a face embedding: the analysis event is built field by field.

export type LiveState = 'waiting' | 'present' | 'analysing';

export interface MemberView {
  customerId: string;
  /** e.g. 김*수 */
  maskedName: string | null;
  phoneLast4: string;
  recommendations: {
    topItems: Array<{ itemId: string; name: string; quantity: number }>;
    lastOrder: unknown;
  };
}

export interface AnalysisView {
  analysisId: string;
  faceFound: boolean;
  age: number | null;
  gender: 'female' | 'male' | null;
  /** age at or over SENIOR_AGE_THRESHOLD: offer the senior mode first */
  senior: boolean;
  member: MemberView | null;
}

export type LiveEvent =
  | { event: 'state'; data: { state: LiveState } }
  | { event: 'face'; data: { analysisId: string; faceFound: boolean } }
  | { event: 'analysis'; data: AnalysisView }
  | { event: 'reset'; data: { reason: string } }
  /** the owner acknowledged this kiosk's staff call: the kiosk says someone is coming (modules/staff-calls) */
  | { event: 'staff-call.acknowledged'; data: { callId: string; acknowledgedAt: string } };

/** an event as logged and delivered: ids increase per kiosk */
export type LoggedEvent = LiveEvent & { id: number };
