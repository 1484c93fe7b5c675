import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../platform/http/common-schemas.js';

export const KioskLiveRoute = {
  tags: ['kiosks'],
  summary: "Server-sent events for one kiosk's own screen: presence, face analysis, member match, reset, payments, receipts, peripherals",
  description:
    "Readable only by that kiosk's session. Events (JSON data): `ready` {kioskId}; `state` {state: waiting|present|analysing}; " +
    '`face` {analysisId, faceFound}; `analysis` {analysisId, faceFound, age, gender, senior, confirmationId: null | string (a face ' +
    'matched a member: nothing else of them is sent until the digits agree, POST .../member-confirmations/:confirmationId)}; `reset` {reason}; `staff-call.acknowledged` {callId, acknowledgedAt} (someone is coming); ' +
    '`payment` {orderId, paymentId, state: waiting_for_card|confirmed|declined|timed_out|card_removed|voided|cancelled, reason?, orderNumber?, receipt?: {url, print: printing|printed|paper_out|offline|none}}; ' +
    '`receipt` {orderId, print} (the printer answered); `peripherals` {cardTerminal: ready|offline|none, printer: ready|paper_low|paper_out|offline|none} (docs/payments.md). Every event but `ready` has an id; reconnecting with ' +
    'Last-Event-ID replays the missed ones from a short log. A comment arrives every 15 s. EventSource cannot send headers: pass the ' +
    'access token as `?access_token=`; a new stream opened after a token refresh resumes with `?lastEventId=`. The stream ends with `reauthenticate` when the token expires. See docs/devices.md.',
  security: [{ bearer: [] }],
  params: Type.Object({ storeId: Uuid, kioskId: Uuid }),
  querystring: Type.Object({
    access_token: Type.Optional(Type.String()),
    /** the Last-Event-ID header, for a page that opens a new stream itself (the header wins when both come) */
    lastEventId: Type.Optional(Type.String({ maxLength: 32 })),
  }),
  response: { ...errorResponses(400, 401, 403) },
};
