// The customer's way from the attract screen into ordering, as a reducer:
//
//   attract ──present──▶ camera ("카메라를 봐 주세요") ──analysing / face──▶ recognising ("알아보는 중…")
//      ▲                                                                          │ analysis
//      │ waiting (before a result) / reset / end                                   ▼
//      └──────────────────────────── match? ─▶ confirmMember ─digits / not me─┐
//                                     senior? ─▶ offerSenior ◀─────────────────┤ (senior)
//                                     guest  ─▶ ordering ◀─────────────────────┘
//
// A face that matched a member brings only a confirmation id: the customer keys in the last 4 digits
// of their phone (DigitsConfirmation), and only digits that agree bring the member to this screen.
// Wrong digits (after the tries allowed) or "회원이 아니에요" go on as a guest, with no hint of who matched.
//
// A touch on "주문하기" goes to ordering from any of the first three, so a kiosk without a device
// (no events at all) works exactly as before. Once ordering, the kiosk's own screens (menu,
// checkout, receipt) take over and this only keeps who the customer is: the confirmed member
// (whose id goes with the order), whether senior mode is on, and the analysis (whose id lets a
// guest register after ordering). Whether a departure may end an order is the caller's call
// (see useCustomerJourney): the reducer only knows the journey, not the cart.
import type { MemberProof } from './customersApi';
import type { LiveAnalysis, LiveEvent, LiveMember } from './live';

export type Phase = 'attract' | 'camera' | 'recognising' | 'confirmMember' | 'offerSenior' | 'ordering';

export interface Journey {
  phase: Phase;
  /** the latest analysis of the person in front of the kiosk */
  analysis?: LiveAnalysis;
  /** the member the customer said yes to, or found by phone */
  member?: LiveMember;
  /** what shows it is them, for "얼굴 정보 지우기": the analysis that matched, or the phone they typed */
  memberProof?: MemberProof;
  /** a face matched a member after the customer had already started ordering by touch: the digits are asked there */
  lateConfirmationId?: string;
  /** large type, fewer choices per screen */
  senior: boolean;
  /** the last look at the camera found no face (the prompt says so) */
  noFace: boolean;
  /** the customer said they are not a member, or their digits did not agree: not asked again */
  declined?: boolean;
  /** after the order, the customer is registering or deleting their face data */
  afterOrderOpen?: boolean;
}

export const initialJourney: Journey = { phase: 'attract', senior: false, noFace: false };

export type JourneyAction =
  | LiveEvent
  | { type: 'touchStart' }
  /** the digits agreed: this is the member; null: they did not (or "not me"), a guest from here */
  | { type: 'confirmMember'; member: LiveMember | null }
  | { type: 'confirmLateMember'; member: LiveMember | null }
  | { type: 'chooseSenior'; senior: boolean }
  | { type: 'setSenior'; senior: boolean }
  | { type: 'memberFound'; member: LiveMember; phone: string }
  | { type: 'faceForgotten' }
  | { type: 'registered'; customerId: string }
  | { type: 'afterOrder'; open: boolean }
  | { type: 'end' };

const beforeResult = (phase: Phase) => phase === 'attract' || phase === 'camera' || phase === 'recognising';

/** after the member question: senior mode first when the analysis says so, else the menu */
function afterMember(journey: Journey, member: LiveMember | undefined): Journey {
  const offerSenior = journey.analysis?.senior === true && !journey.senior;
  const memberProof = member && journey.analysis ? { analysisId: journey.analysis.analysisId } : undefined;
  return { ...journey, member, memberProof, phase: offerSenior ? 'offerSenior' : 'ordering' };
}

export function journeyReducer(journey: Journey, action: JourneyAction): Journey {
  switch (action.type) {
    case 'state':
      if (!beforeResult(journey.phase)) return journey;
      if (action.state === 'present') return journey.phase === 'attract' ? { ...journey, phase: 'camera', noFace: false } : journey;
      if (action.state === 'analysing') return { ...journey, phase: 'recognising', noFace: false };
      // nobody there any more before anything was shown: the carousel again (senior mode stays if chosen by hand)
      return { ...initialJourney, senior: journey.senior };
    case 'face':
      if (!beforeResult(journey.phase)) return journey;
      return action.faceFound ? { ...journey, phase: 'recognising', noFace: false } : { ...journey, phase: 'camera', noFace: true };
    case 'analysis': {
      const { analysis } = action;
      if (journey.phase === 'ordering') {
        // already ordering by touch: keep the analysis for registration; a member is asked on the menu
        if (journey.member || journey.declined || !analysis.faceFound) return journey;
        return { ...journey, analysis, lateConfirmationId: analysis.confirmationId ?? undefined };
      }
      if (!beforeResult(journey.phase)) return journey; // a question is on screen: it is answered first
      if (!analysis.faceFound) return { ...journey, analysis: undefined, phase: 'camera', noFace: true };
      const next = { ...journey, analysis, noFace: false };
      if (analysis.confirmationId) return { ...next, phase: 'confirmMember' };
      return afterMember(next, undefined);
    }
    case 'reset':
      return beforeResult(journey.phase) || journey.phase === 'confirmMember' || journey.phase === 'offerSenior' ? initialJourney : journey;
    case 'touchStart':
      return { ...journey, phase: 'ordering' };
    case 'confirmMember':
      if (journey.phase !== 'confirmMember') return journey;
      return afterMember({ ...journey, declined: action.member === null }, action.member ?? undefined);
    case 'confirmLateMember':
      if (!action.member || !journey.lateConfirmationId || !journey.analysis) return { ...journey, lateConfirmationId: undefined, declined: true };
      return { ...journey, member: action.member, memberProof: { analysisId: journey.analysis.analysisId }, lateConfirmationId: undefined };
    case 'chooseSenior':
      return { ...journey, senior: action.senior, phase: 'ordering' };
    case 'setSenior':
      return { ...journey, senior: action.senior };
    case 'memberFound':
      return { ...journey, member: action.member, memberProof: { phone: action.phone }, lateConfirmationId: undefined, phase: 'ordering' };
    case 'faceForgotten':
      // the face is gone on the server; this screen forgets the analysis too (no registering it again)
      return { ...journey, analysis: undefined };
    case 'registered':
      return { ...journey, analysis: undefined };
    case 'afterOrder':
      return { ...journey, afterOrderOpen: action.open };
    case 'end':
      return initialJourney;
  }
}
