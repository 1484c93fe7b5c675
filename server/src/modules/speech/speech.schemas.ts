import { Type } from 'typebox';
import { StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

export const MAX_SPEECH_TEXT_LENGTH = 300;

// Audio, not JSON: described for the OpenAPI document only (a Buffer is sent as it is).
export const SynthesizeSpeechRoute = {
  tags: ['speech'],
  summary: "Speech for the kiosk's voice mode, when its browser has no voice for the language: WAV audio, cached per text, voice and rate",
  description:
    `Only a kiosk of the store. \`text\`: 1 to ${MAX_SPEECH_TEXT_LENGTH} characters without control characters ` +
    '(400 speech_text_empty / speech_text_too_long / speech_text_invalid_characters). The answer says in `X-Speech-Cache` ' +
    'whether the audio was stored already (`hit`) or synthesized now (`miss`). 503 speech_unavailable when the engine fails ' +
    'or is too slow, speech_busy when too many phrases wait: the kiosk keeps working on screen.',
  params: StoreParams,
  body: Type.Object(
    {
      text: Type.String({ description: `what to say, 1 to ${MAX_SPEECH_TEXT_LENGTH} characters` }),
      lang: Type.Union([Type.Literal('ko'), Type.Literal('en')]),
      rate: Type.Number({ minimum: 0.5, maximum: 2, description: '1 is the usual speed; taken in steps of 0.05' }),
    },
    { additionalProperties: false },
  ),
  response: {
    200: {
      description: 'a WAV file (16-bit PCM)',
      headers: { 'x-speech-cache': { type: 'string', enum: ['hit', 'miss'], description: 'hit: stored audio; miss: synthesized for this request' } },
      content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } },
    },
    ...errorResponses(400, 401, 403, 429, 503),
  },
};

export const ReportSpeechStatusRoute = {
  tags: ['speech'],
  summary: "A kiosk says whether it can speak; the POS's kiosk list shows the ones that cannot",
  description: 'Only the kiosk itself. `available: false` when it has no voice for the language and the server’s speech failed.',
  params: Type.Object({ storeId: Uuid, kioskId: Uuid }),
  body: Type.Object({ available: Type.Boolean() }, { additionalProperties: false }),
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
};
