// Age from all frames of a capture and the senior offer with a margin below the threshold (docs/faces.md,
// "Age"), through the real interfaces: a device sends real frames over gRPC and the kiosk's live
// stream (SSE) shows the analysis. The age model reads some faces far too young on one frame (one of
// the fixture woman's frames reads about 9, the other 29): the capture's median decides, and senior
// mode is offered first from SENIOR_AGE_MARGIN below SENIOR_AGE_THRESHOLD.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { DeviceClient, provisionKiosk, type ProvisionedKiosk } from '../support/device-client.js';
import { openLive } from '../support/live-events.js';
import { createBrand, roomyLimits, signUp, startTestServer, type TestServer } from '../support/test-server.js';

const faces = fileURLToPath(new URL('../../../fixtures/faces/', import.meta.url));
const photo = (name: string) => fs.readFileSync(`${faces}${name}`);

// as "a customer estimated at 58 after 3 frames is still offered large type first when the threshold is 65",
// scaled to the fixture woman, whom the model reads as about 29
const THRESHOLD = 35;
const MARGIN = 7;
const env = { ...roomyLimits, SENIOR_AGE_THRESHOLD: String(THRESHOLD), SENIOR_AGE_MARGIN: String(MARGIN) };

let server: TestServer;
let kiosk: ProvisionedKiosk;
let storeId: string;
let device: DeviceClient;

before(async () => {
  server = await startTestServer({ env });
  const brand = await createBrand(server);
  const owner = await signUp(server, 'owner', { brandCode: brand.code });
  storeId = owner.profile.store.id as string;
  kiosk = await provisionKiosk(server, storeId, owner.accessToken);
  device = new DeviceClient(server.deviceAddress, kiosk);
});
after(async () => {
  device?.close();
  await server?.close();
});

/** the analysis event the kiosk's screen receives for these frames */
async function analysisOf(frames: Buffer[]): Promise<Record<string, unknown>> {
  const screen = await openLive(`${server.url}/api/stores/${storeId}/kiosks/${kiosk.kioskId}/live`, { token: kiosk.token });
  try {
    const ack = await device.sendFrames(frames, `capture-${Date.now()}`);
    const event = await screen.next((candidate) => candidate.event === 'analysis' && candidate.data.analysisId === ack.analysisId, 'analysis');
    return event.data;
  } finally {
    screen.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

describe('age across the frames of a capture', () => {
  test('the median of the frames decides, not one frame; senior mode is offered from the margin below the threshold', async () => {
    const a = photo('woman_frame_a.jpg');
    const b = photo('woman_frame_b.jpg');
    // each frame on its own, as the model reads it
    const [ageA, ageB] = await Promise.all([a, b].map(async (frame) => (await server.app.faces.analyze([new Uint8Array(frame)])).age!));
    assert.ok(Math.abs(ageA! - ageB!) > 10, `the two frames read far apart: ${ageA} and ${ageB}`);

    const capture = await analysisOf([a, b, b]);
    const expected = Math.round(median([ageA!, ageB!, ageB!]));
    assert.equal(capture.age, expected);
    assert.ok(expected < THRESHOLD && expected >= THRESHOLD - MARGIN, `age ${expected} is under the threshold, within the margin`);
    assert.equal(capture.senior, true, 'offered first although the estimate is under the threshold');
    assert.equal(capture.gender, 'female');

    const young = Math.min(ageA!, ageB!);
    const oneFrame = await analysisOf([young === ageA ? a : b]);
    assert.equal(oneFrame.age, Math.round(young));
    assert.equal(oneFrame.senior, false, 'far under the threshold: the usual screen first');
  });

  test('a face too small for identity still gives age and gender (and the senior offer), but no match and no registration', async () => {
    // the bearded man's face is 162 px; shrunk to about 90 px it is above the 64 px gate, below 112 for identity
    const original = photo('bearded_man.jpg');
    const { width } = await sharp(original).metadata();
    const small = await sharp(original)
      .resize(Math.round((width! * 90) / 162))
      .jpeg({ quality: 95 })
      .toBuffer();
    const analysis = await analysisOf([small, small, small]);
    assert.equal(analysis.faceFound, false, 'no identity: the kiosk asks the customer to step closer');
    assert.equal(analysis.confirmationId, null);
    assert.equal(typeof analysis.age, 'number');
    assert.equal(analysis.gender, 'male');
    assert.equal(analysis.senior, (analysis.age as number) >= THRESHOLD - MARGIN);
  });
});
