// The face pool through its public API, on the fixture photos: matching, the largest face, no face,
// each kind of bad frame, the timeout, and that the pool keeps working after each. One pool of one
// worker serves every test here (loading the models costs about a second per worker).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import {
  AnalysisTimeoutError,
  AnalyzerBusyError,
  cosineSimilarity,
  createFacePool,
  createInProcessAnalyzer,
  decodeFrame,
  ImageError,
  RECOMMENDED_MATCH_THRESHOLD,
  type AnalysisResult,
  type FacePool,
} from '@pinokio/face';

const fixtures = new URL('../../fixtures/faces/', import.meta.url);
const photo = (name: string) => new Uint8Array(fs.readFileSync(new URL(name, fixtures)));

/** A PNG whose header says width x height, with no real pixel data behind it. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', zlib.deflateSync(Buffer.alloc(16))),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

let pool: FacePool;
const womanA = photo('woman_frame_a.jpg');

async function expectImageError(images: Uint8Array[], code: ImageError['code']): Promise<void> {
  await assert.rejects(pool.analyze(images), (error: unknown) => {
    assert.ok(error instanceof ImageError, `expected an ImageError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

async function expectPoolStillWorks(): Promise<void> {
  const result = await pool.analyze([womanA]);
  assert.equal(result.faceFound, true);
}

before(async () => {
  pool = createFacePool({ size: 1 });
  await pool.ready();
});

after(async () => {
  await pool.close();
});

describe('recognition', () => {
  let a: AnalysisResult;
  let b: AnalysisResult;

  before(async () => {
    a = await pool.analyze([womanA]);
    b = await pool.analyze([photo('woman_frame_b.jpg')]);
  });

  test('two frames of the same woman match above the threshold', () => {
    assert.equal(a.faceFound, true);
    assert.equal(b.faceFound, true);
    assert.equal(a.embedding?.length, 1024);
    assert.ok(cosineSimilarity(a.embedding!, b.embedding!) >= RECOMMENDED_MATCH_THRESHOLD);
    assert.equal(b.gender, 'female');
  });

  test('different people stay below the threshold', async () => {
    const others = await Promise.all(['bearded_man.jpg', 'astronaut.png', 'three_men.jpg'].map((name) => pool.analyze([photo(name)])));
    const embeddings = [a.embedding!, ...others.map((result) => result.embedding!)];
    for (let i = 0; i < embeddings.length; i += 1) {
      for (let j = i + 1; j < embeddings.length; j += 1) {
        assert.ok(cosineSimilarity(embeddings[i]!, embeddings[j]!) < RECOMMENDED_MATCH_THRESHOLD, `pair ${i},${j}`);
      }
    }
  });

  test('the embedding is unit length and the result carries age, gender and the face box', () => {
    const norm = Math.sqrt(a.embedding!.reduce((sum, value) => sum + value * value, 0));
    assert.ok(Math.abs(norm - 1) < 1e-5);
    assert.ok(a.age! > 0 && a.age! < 100);
    assert.ok(a.genderConfidence! >= 0.5 && a.genderConfidence! <= 1);
    assert.ok(a.faceBox!.width >= 64);
    assert.ok(a.score! > 0 && a.score! <= 1);
  });

  test('several frames of one capture are combined: frames that agree give their averaged embedding', async () => {
    const both = await pool.analyze([womanA, photo('woman_frame_b.jpg')]);
    assert.equal(both.frames, 2);
    assert.equal(both.score, Math.max(a.score!, b.score!));
    const mean = a.embedding!.map((value, i) => value + b.embedding![i]!);
    assert.ok(cosineSimilarity(both.embedding!, mean) > 0.9999);
    assert.ok(Math.abs(both.frameAgreement! - cosineSimilarity(a.embedding!, b.embedding!)) < 1e-3);
  });
});

test('in a photo of three men the largest face is the one analysed', async () => {
  const threeMen = photo('three_men.jpg');
  const first = await pool.analyze([threeMen]);
  assert.equal(first.faceFound, true);
  // black out the chosen face: what is chosen next must be smaller
  const box = first.faceBox!;
  const masked = await sharp(threeMen)
    .composite([{ input: { create: { width: box.width, height: box.height, channels: 3, background: '#000' } }, left: box.x, top: box.y }])
    .jpeg()
    .toBuffer();
  const second = await pool.analyze([new Uint8Array(masked)]);
  assert.equal(second.faceFound, true);
  assert.ok(second.faceBox!.width * second.faceBox!.height < box.width * box.height);
});

test('a photo without a person finds no face', async () => {
  const result = await pool.analyze([photo('no_face_notebook.jpg')]);
  assert.equal(result.faceFound, false);
  assert.equal(result.noFaceReason, 'no_face');
  assert.equal(result.embedding, undefined);
});

test('a face under the minimum size is refused as too small', async () => {
  const result = await pool.analyze([photo('footballer_face.jpg')]);
  assert.equal(result.faceFound, false);
  assert.equal(result.noFaceReason, 'face_too_small');
});

describe('bad frames give an ImageError with a code, and the pool keeps working', () => {
  test('a truncated JPEG is corrupt', async () => {
    await expectImageError([womanA.subarray(0, Math.floor(womanA.length / 2))], 'image_corrupt');
    await expectPoolStillWorks();
  });

  test('JPEG magic followed by garbage is corrupt', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 251);
    garbage.set([0xff, 0xd8, 0xff, 0xe0]);
    await expectImageError([garbage], 'image_corrupt');
    await expectPoolStillWorks();
  });

  test('bytes that are not an image, and an image that is neither JPEG nor PNG, are unsupported', async () => {
    await expectImageError([new TextEncoder().encode('hello, this is not a photo')], 'image_unsupported');
    await expectImageError([new Uint8Array(await sharp(womanA).gif().toBuffer())], 'image_unsupported');
    await expectPoolStillWorks();
  });

  test('an empty frame, and no frames at all, are empty', async () => {
    await expectImageError([new Uint8Array(0)], 'image_empty');
    await expectImageError([], 'image_empty');
    await expectPoolStillWorks();
  });

  test('a 50-megapixel image is refused from its header, before its pixels are decoded', async () => {
    // the header claims 10000 x 5000 but no pixels follow: decoding would say "corrupt", not "too large"
    await expectImageError([pngHeaderOnly(10_000, 5_000)], 'image_too_large');
    await expectPoolStillWorks();
  });

  test('the limits are configurable', async () => {
    await assert.rejects(decodeFrame(womanA, { maxBytes: 1000 }), { code: 'image_too_large' });
    await assert.rejects(decodeFrame(womanA, { maxPixels: 640 * 480 }), { code: 'image_too_large' });
    const shrunk = await decodeFrame(womanA, { workingSize: 320 });
    assert.equal(Math.max(shrunk.width, shrunk.height), 320);
    assert.equal(shrunk.originalWidth, 642);
  });

  test('a bad frame among good ones is left out and reported; the others are analysed', async () => {
    const result = await pool.analyze([womanA, new Uint8Array(0), photo('woman_frame_b.jpg')]);
    assert.equal(result.faceFound, true);
    assert.equal(result.frames, 2);
    assert.deepEqual(result.rejectedFrames, [{ frameIndex: 1, code: 'image_empty' }]);
  });

  test('a corrupt frame in the middle of three: the answer is that of the two good frames', async () => {
    const womanB = photo('woman_frame_b.jpg');
    const truncated = womanA.subarray(0, Math.floor(womanA.length / 2));
    const [withCorrupt, goodOnly] = await Promise.all([pool.analyze([womanA, truncated, womanB]), pool.analyze([womanA, womanB])]);
    const { rejectedFrames, ...answer } = withCorrupt;
    assert.deepEqual(rejectedFrames, [{ frameIndex: 1, code: 'image_corrupt' }]);
    assert.deepEqual(answer, goodOnly);
  });

  test("a capture whose every frame is bad fails with the first frame's error", async () => {
    await expectImageError([new TextEncoder().encode('not a photo'), new Uint8Array(0)], 'image_unsupported');
    await expectImageError(
      Array.from({ length: 11 }, () => womanA),
      'image_too_large',
    );
  });
});

describe('only the face a frame is judged by is described', () => {
  // the reference runs Human's own FaceRes on every detected face, on this thread
  const everyFace = createInProcessAnalyzer({ describeEveryFace: true });
  after(() => everyFace.close());

  for (const name of ['three_men.jpg', 'woman_frame_b.jpg', 'footballer_face.jpg', 'no_face_notebook.jpg']) {
    test(`${name}: the same answer as describing every face`, async () => {
      const image = photo(name);
      assert.deepEqual(await pool.analyze([image]), await everyFace.analyze([image]));
    });
  }
});

describe('the numbers are those of the models as shipped', () => {
  // Digests of whole results (embedding bytes, age, gender, score, box) recorded with Human's models
  // exactly as the package ships them, before FaceRes' ReLU6 chains were replaced at load
  // (human-engine.ts). Enrolled embeddings must stay comparable: a different digest means the numbers
  // changed. Re-record only for a deliberate change of engine or models, and re-enrol after one.
  const digest = (result: AnalysisResult) =>
    createHash('sha256')
      .update(JSON.stringify({ ...result, embedding: Buffer.from(result.embedding!.buffer).toString('base64') }))
      .digest('hex')
      .slice(0, 16);
  const recorded = { 'woman_frame_a.jpg': '86760feba2f2c937', 'three_men.jpg': 'c5af3236e13df6ab', 'astronaut.png': 'b5d91575280f3b87' };

  for (const [name, expected] of Object.entries(recorded)) {
    test(name, async () => {
      assert.equal(digest(await pool.analyze([photo(name)])), expected);
    });
  }
});

describe('a pool of two workers shares the frames of one capture', () => {
  let pair: FacePool;
  before(async () => {
    pair = createFacePool({ size: 2, maxQueue: 1 });
    await pair.ready();
  });
  after(() => pair.close());

  test('three frames give the same answer as on one worker', async () => {
    const frames = [womanA, photo('woman_frame_b.jpg'), womanA];
    assert.deepEqual(await pair.analyze(frames), await pool.analyze(frames));
  });

  test('the queue limit counts captures, not frames: a capture that has begun is not waiting', async () => {
    const begun = pair.analyze([womanA, womanA, womanA]); // two frames taken at once, one left
    const waiting = pair.analyze([womanA]);
    assert.equal(pair.queued, 1);
    await assert.rejects(pair.analyze([womanA]), AnalyzerBusyError);
    assert.equal((await begun).frames, 3);
    assert.equal((await waiting).frames, 1);
  });

  test('a capture over its timeout fails; every worker on its frames is replaced', async () => {
    await assert.rejects(pair.analyze([womanA, womanA, womanA], { timeoutMs: 1 }), AnalysisTimeoutError);
    assert.equal(pair.workers, 2);
    assert.equal((await pair.analyze([womanA, womanA])).faceFound, true);
  });
});

test('an analysis over its timeout fails with AnalysisTimeoutError; the worker is replaced', async () => {
  await assert.rejects(pool.analyze([womanA], { timeoutMs: 1 }), (error: unknown) => {
    assert.ok(error instanceof AnalysisTimeoutError);
    assert.equal(error.timeoutMs, 1);
    return true;
  });
  assert.equal(pool.workers, 1);
  await expectPoolStillWorks();
});

test('a pool whose every analysis times out keeps answering, one timeout per call', async () => {
  const hasty = createFacePool({ size: 1, timeoutMs: 1 });
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await assert.rejects(hasty.analyze([womanA]), AnalysisTimeoutError);
    }
  } finally {
    await hasty.close();
  }
  await assert.rejects(hasty.analyze([womanA]), /closed/);
});
