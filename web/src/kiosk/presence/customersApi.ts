// The kiosk's calls to the customers module (server/src/modules/customers): registration after an
// order, lookup by phone, and "forget my face". Kept beside the screens that use them.
import { request, type Recommendations } from '../../api/client';
import { liveMember, type LiveMember } from './live';

const enc = encodeURIComponent;
const customers = (storeId: string) => `/api/stores/${enc(storeId)}/customers`;

/** what the privacy notice says, from the server: its retention setting and the notice's version (stored with the consent) */
export interface PrivacyNotice {
  faceRetentionDays: number;
  consentTextVersion: string;
}

/** a member as the customers module answers: masked, never a face */
export interface MemberSummary {
  customerId: string;
  maskedName: string | null;
  phoneLast4: string;
  hasFace: boolean;
}

/** how the kiosk shows that the member in front of it is who they say: their face's analysis or their phone */
export type MemberProof = { analysisId: string } | { phone: string };

export const customersApi = {
  privacyNotice: (storeId: string) => request<PrivacyNotice>('GET', `${customers(storeId)}/privacy-notice`, { role: 'kiosk' }),
  /** explicit consent (the version of the notice shown, as the server named it) with the analysed face and a mobile number */
  /** the order just placed goes along: it becomes the new member's first visit */
  /** readyNoticeVersion: the separate "your order is ready" consent, when its box was ticked; language: the kiosk's, for those messages */
  register: (
    storeId: string,
    body: { analysisId: string; phone: string; consentVersion: string; orderId: string; readyNoticeVersion?: string; language: 'ko' | 'en' },
  ) =>
    request<MemberSummary & { created: boolean; orderClaimed: boolean }>('POST', customers(storeId), {
      role: 'kiosk',
      body: {
        analysisId: body.analysisId,
        phone: body.phone,
        orderId: body.orderId,
        consent: { accepted: true, version: body.consentVersion },
        ...(body.readyNoticeVersion ? { readyNotice: { accepted: true, version: body.readyNoticeVersion } } : {}),
        language: body.language,
      },
    }),
  /** whether the member gets "your order is ready" by text message */
  readyNotice: (storeId: string, customerId: string) =>
    request<{ readyNotice: boolean }>('GET', `${customers(storeId)}/${enc(customerId)}/ready-notice`, { role: 'kiosk' }),
  /** stops those messages; the kiosk shows it is the member as for "forget my face" */
  revokeReadyNotice: (storeId: string, customerId: string, proof: MemberProof) =>
    request<void>('POST', `${customers(storeId)}/${enc(customerId)}/ready-notice/revoke`, { role: 'kiosk', body: proof }),
  /** the member with this phone number and their recommendations; ApiError 404 customer_not_found when none */
  async lookupByPhone(storeId: string, phone: string): Promise<LiveMember> {
    const found = await request<MemberSummary>('POST', `${customers(storeId)}/lookup`, { role: 'kiosk', body: { phone } });
    const recommendations = await request<Recommendations>('GET', `${customers(storeId)}/${enc(found.customerId)}/recommendations`, { role: 'kiosk' });
    return { customerId: found.customerId, maskedName: found.maskedName ?? '', phoneLast4: found.phoneLast4, recommendations };
  },
  /**
   * The last 4 digits of the phone, for a face that matched a member: the member (masked, with their
   * recommendations) only when they agree; null otherwise, with no hint of who was matched.
   * ApiError 429 rate_limited when digits are keyed in too fast at this kiosk.
   */
  async confirmByDigits(storeId: string, confirmationId: string, lastDigits: string): Promise<LiveMember | null> {
    const answer = await request<{ confirmed: boolean; member?: unknown }>('POST', `/api/stores/${enc(storeId)}/member-confirmations/${enc(confirmationId)}`, {
      role: 'kiosk',
      body: { lastDigits },
    });
    return answer.confirmed ? liveMember(answer.member) : null;
  },
  forgetFace: (storeId: string, customerId: string, proof: MemberProof) =>
    request<void>('POST', `${customers(storeId)}/${enc(customerId)}/forget-face`, { role: 'kiosk', body: proof }),
};

/** a Korean mobile number as digits: 010 and 8 digits (or the older 011/016/017/018/019 with 7 or 8) */
export function isKoreanMobile(digits: string): boolean {
  return /^010\d{8}$/.test(digits) || /^01[16789]\d{7,8}$/.test(digits);
}

/** "01012345678" → "010-1234-5678", as typed so far */
export function formatPhone(digits: string): string {
  if (digits.length <= 3) return digits;
  if (digits.length <= 7) return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  const middle = digits.length === 10 ? 3 : 4;
  return `${digits.slice(0, 3)}-${digits.slice(3, 3 + middle)}-${digits.slice(3 + middle)}`;
}
