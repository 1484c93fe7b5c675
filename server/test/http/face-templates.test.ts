// Several faces per member (docs/faces.md, "Templates") and the decision rule at the server: a visit
// confirmed by the phone's last 4 digits adds a face when it differs from those kept (a real capture
// over gRPC, the confirmation over HTTP), the faces are capped with the oldest going first, "forget my
// face" and the retention job delete them all, two members too close to tell apart match nobody, and
// a face of an older model is never compared (skipped, reported once) until the member re-enrols.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EMBEDDING_VERSION } from '@pinokio/face';
import sharp from 'sharp';
import { CustomerDataKeys } from '../../src/modules/customers/customer-data.js';
import { FaceIndexes } from '../../src/modules/customers/face-indexes.js';
import { DeviceClient, provisionKiosk } from '../support/device-client.js';
import { storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { openLive } from '../support/live-events.js';
import { createBrand, roomyLimits, signUp, startTestServer, type TestServer } from '../support/test-server.js';

const TEMPLATES = 3;
const DATA_KEY = randomBytes(32);
const env = { ...roomyLimits, FACE_TEMPLATES_PER_MEMBER: String(TEMPLATES), CUSTOMER_DATA_KEY: DATA_KEY.toString('base64') };
const CONSENT = { accepted: true, version: 'face-2025-01' };
const DIMENSIONS = 128;
const faces = fileURLToPath(new URL('../../../fixtures/faces/', import.meta.url));

let server: TestServer;
const clients: DeviceClient[] = [];
before(async () => {
  server = await startTestServer({ env });
});
after(async () => {
  for (const client of clients) client.close();
  await server?.close();
});

// ---- synthetic faces: a person is a random direction; a photo of them a small perturbation of it

let seed = 20_261_206;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}
const normalised = (values: Float32Array) => {
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
};
const person = () => normalised(Float32Array.from({ length: DIMENSIONS }, () => random() * 2 - 1));
/** another photo of the person: `noise` 0.03 gives about 0.95 like them */
const photoOf = (face: Float32Array, noise = 0.03) => normalised(face.map((value) => value + (random() * 2 - 1) * noise));
/** a visit in other light: about 0.84 like the person, 0.7 like another such visit (new enough to keep) */
const VISIT = 0.1;

let phones = 3000;
const newPhone = () => `010-${4000 + (phones % 5000)}-${String((phones += 1)).padStart(4, '0')}`;

async function enrol(store: StoreFixture, face: Float32Array, phone = newPhone()): Promise<string> {
  const analysisId = await server.app.services.customers.holdAnalysis({
    kioskId: store.kioskId,
    storeId: store.storeId,
    embedding: face,
    age: null,
    gender: null,
  });
  const response = await server.api('POST', `/api/stores/${store.storeId}/customers`, {
    token: store.kioskToken,
    body: { analysisId, phone, consent: CONSENT },
  });
  // 201 a new member; 200 a member of this phone who gets the new face
  assert.ok(response.status === 201 || response.status === 200, JSON.stringify(response.body));
  return response.body.customerId;
}

function templatesOf(customerId: string) {
  return server.app.database.db
    .selectFrom('customer_face_templates')
    .select(['id', 'embedding_version', 'created_at'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
}

const recognise = (store: StoreFixture, face: Float32Array) => server.app.services.customers.recognise(store.storeId, face);

describe('a visit confirmed by the digits', () => {
  test('adds a face that differs from those kept (a real capture); one like a kept face adds nothing', async () => {
    const brand = await createBrand(server);
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const storeId = owner.profile.store.id as string;
    const kiosk = await provisionKiosk(server, storeId, owner.accessToken);
    const device = new DeviceClient(server.deviceAddress, kiosk);
    clients.push(device);
    const photo = fs.readFileSync(`${faces}bearded_man.jpg`);
    // measured: brighter by 40 % the bearded man is 0.79 like himself (a new face); darker 0.93 (not new)
    const brighter = await sharp(photo).modulate({ brightness: 1.4 }).jpeg({ quality: 95 }).toBuffer();
    const darker = await sharp(photo).modulate({ brightness: 0.6 }).jpeg({ quality: 95 }).toBuffer();

    const enrolment = await device.sendFrames([photo, photo, photo], 'enrol');
    const registered = await server.api('POST', `/api/stores/${storeId}/customers`, {
      token: kiosk.token,
      body: { analysisId: enrolment.analysisId, phone: '010-8765-4321', consent: CONSENT },
    });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const customerId = registered.body.customerId as string;
    const [first] = await templatesOf(customerId);
    assert.equal(first?.embedding_version, EMBEDDING_VERSION);

    const visit = async (frame: Buffer) => {
      const screen = await openLive(`${server.url}/api/stores/${storeId}/kiosks/${kiosk.kioskId}/live`, { token: kiosk.token });
      try {
        const ack = await device.sendFrames([frame, frame, frame], `visit-${Date.now()}`);
        const analysis = await screen.next((event) => event.event === 'analysis' && event.data.analysisId === ack.analysisId, 'analysis');
        assert.equal(typeof analysis.data.confirmationId, 'string', 'the face matched the member');
        const answer = await server.api('POST', `/api/stores/${storeId}/member-confirmations/${encodeURIComponent(analysis.data.confirmationId)}`, {
          token: kiosk.token,
          body: { lastDigits: '4321' },
        });
        assert.equal(answer.body.confirmed, true, JSON.stringify(answer.body));
      } finally {
        screen.close();
      }
    };

    const lastSeen = async () =>
      (await server.app.database.db.selectFrom('customers').select('last_seen_at').where('id', '=', customerId).executeTakeFirstOrThrow()).last_seen_at;
    assert.equal(await lastSeen(), null);
    await visit(brighter);
    assert.ok(await lastSeen(), 'a visit confirmed by the digits counts as the face being used (retention starts again)');
    const afterBright = await templatesOf(customerId);
    assert.equal(afterBright.length, 2, 'the brighter visit is kept as a second face');
    assert.equal(afterBright[0]!.id, first!.id);
    await visit(darker);
    assert.equal((await templatesOf(customerId)).length, 2, 'a visit as similar as 0.93 to a kept face adds nothing');
  });

  test('faces are capped: beyond FACE_TEMPLATES_PER_MEMBER the oldest goes; each new one is recognised', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    const customerId = await enrol(store, face);
    const [enrolled] = await templatesOf(customerId);
    for (let i = 0; i < TEMPLATES + 1; i += 1) {
      const visit = photoOf(face, VISIT);
      assert.equal(await server.app.services.customers.addConfirmedFace({ storeId: store.storeId, customerId, embedding: visit }), 'added');
      assert.equal((await recognise(store, photoOf(visit, 0.01)))?.customerId, customerId);
    }
    const kept = await templatesOf(customerId);
    assert.equal(kept.length, TEMPLATES);
    assert.ok(!kept.some((row) => row.id === enrolled!.id), 'the enrolment, the oldest, went first');
    assert.equal(await server.app.services.customers.addConfirmedFace({ storeId: store.storeId, customerId, embedding: photoOf(face, VISIT) }), 'added');
    assert.equal((await templatesOf(customerId)).length, TEMPLATES, 'still capped');
  });

  test('after "forget my face" a confirmation adds nothing', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    const customerId = await enrol(store, face);
    await server.app.services.customers.forgetFace(store.storeId, customerId);
    assert.equal(await server.app.services.customers.addConfirmedFace({ storeId: store.storeId, customerId, embedding: photoOf(face, VISIT) }), 'no_face');
    assert.deepEqual(await templatesOf(customerId), []);
  });
});

describe('every face goes', () => {
  test('"forget my face" in the POS deletes all the member\'s faces; none is recognised', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    const customerId = await enrol(store, face);
    const visits = [photoOf(face, VISIT), photoOf(face, VISIT)];
    for (const visit of visits) await server.app.services.customers.addConfirmedFace({ storeId: store.storeId, customerId, embedding: visit });
    assert.equal((await templatesOf(customerId)).length, 3);
    assert.equal((await recognise(store, visits[1]!))?.customerId, customerId);
    const forgotten = await server.api('DELETE', `/api/stores/${store.storeId}/customers/${customerId}/face`, { token: store.ownerToken });
    assert.equal(forgotten.status, 204);
    assert.deepEqual(await templatesOf(customerId), []);
    for (const probe of [face, ...visits]) assert.equal(await recognise(store, photoOf(probe, 0.01)), null);
  });

  test('the retention job deletes all the faces of a member unused for FACE_RETENTION_DAYS', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    const customerId = await enrol(store, face);
    const visit = photoOf(face, VISIT);
    await server.app.services.customers.addConfirmedFace({ storeId: store.storeId, customerId, embedding: visit });
    assert.equal((await templatesOf(customerId)).length, 2);
    const longAgo = new Date(Date.now() - 400 * 86_400_000);
    await server.app.database.db.updateTable('customers').set({ embedding_updated_at: longAgo, last_seen_at: longAgo }).where('id', '=', customerId).execute();
    assert.ok((await server.app.services.customers.forgetUnusedFaces()) >= 1);
    assert.deepEqual(await templatesOf(customerId), []);
    assert.equal(await recognise(store, photoOf(visit, 0.01)), null);
  });

  test('deleting the member deletes their faces', async () => {
    const store = await storeWithKiosk(server);
    const customerId = await enrol(store, person());
    const removed = await server.api('DELETE', `/api/stores/${store.storeId}/customers/${customerId}`, { token: store.ownerToken });
    assert.equal(removed.status, 204);
    assert.deepEqual(await templatesOf(customerId), []);
  });
});

describe('the decision rule at the server', () => {
  test('two members whose faces are too close to tell apart: neither is recognised; apart enough, the nearer one is', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    const twin = photoOf(face, 0.02);
    await enrol(store, face);
    await enrol(store, twin);
    assert.equal(await recognise(store, photoOf(face, 0.01)), null, 'within the margin of each other: a guest');

    const other = await storeWithKiosk(server);
    const alone = await enrol(other, face);
    assert.equal((await recognise(other, photoOf(face, 0.01)))?.customerId, alone);
  });
});

describe('a face of an older model', () => {
  test('is never compared with new ones: skipped and reported once; the phone still finds the member; re-enrolment brings the face back', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    const phone = newPhone();
    const customerId = await enrol(store, face, phone);
    await server.app.database.db
      .updateTable('customer_face_templates')
      .set({ embedding_version: 'human-3.3.5/faceres-old' })
      .where('customer_id', '=', customerId)
      .execute();

    // an index of its own over the same database, to hear what it reports
    const reports: unknown[] = [];
    const errors: unknown[] = [];
    const indexes = new FaceIndexes(server.app.database.db, server.app.bus, new CustomerDataKeys(DATA_KEY), {
      embeddingVersion: EMBEDDING_VERSION,
      onError: (error) => errors.push(error),
      onOtherVersion: (context) => reports.push(context),
    });
    const rule = { threshold: 0.7, margin: 0.05 };
    assert.deepEqual(await indexes.decide(store.storeId, photoOf(face, 0.01), rule), { outcome: 'no_match' });
    await indexes.changed(store.storeId, [customerId]);
    assert.deepEqual(await indexes.decide(store.storeId, photoOf(face, 0.01), rule), { outcome: 'no_match' });
    assert.deepEqual(reports, [{ storeId: store.storeId, embeddingVersion: 'human-3.3.5/faceres-old', skipped: 1 }], 'reported once');
    assert.deepEqual(errors, []);

    // the server's own index: not recognised, no face proof, but the phone finds the member
    assert.equal(await recognise(store, photoOf(face, 0.01)), null);
    const lookup = await server.api('POST', `/api/stores/${store.storeId}/customers/lookup`, { token: store.kioskToken, body: { phone } });
    assert.equal(lookup.status, 200, JSON.stringify(lookup.body));
    assert.equal(lookup.body.customerId, customerId);

    // re-enrolment: registering again with the same phone replaces the old face with one of today's model
    assert.equal(await enrol(store, face, phone), customerId);
    const kept = await templatesOf(customerId);
    assert.deepEqual(
      kept.map((row) => row.embedding_version),
      [EMBEDDING_VERSION],
    );
    assert.equal((await recognise(store, photoOf(face, 0.01)))?.customerId, customerId);
  });
});
