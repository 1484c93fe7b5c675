// Combining the faces of several frames into one answer (no models: faces as an engine reports them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineFrames, type DetectedFace } from '@pinokio/face';

function face(size: number, score: number, extra: Partial<DetectedFace> = {}): DetectedFace {
  return { box: { x: 10, y: 20, width: size, height: size }, score, embedding: Float32Array.from([size, score, 1]), ...extra };
}

test('the best-scoring frame gives the embedding; age is the median; gender averages the probabilities', () => {
  const result = combineFrames([
    [face(100, 0.8, { age: 30, gender: 'female', genderScore: 0.9 })],
    [face(120, 0.95, { age: 70, gender: 'male', genderScore: 0.6 })],
    [face(110, 0.9, { age: 34, gender: 'female', genderScore: 0.7 })],
  ]);
  assert.equal(result.faceFound, true);
  assert.equal(result.frames, 3);
  assert.equal(result.score, 0.95);
  assert.deepEqual(result.faceBox, { x: 10, y: 20, width: 120, height: 120 });
  assert.equal(result.age, 34);
  // p(female) per frame: 0.9, 0.4, 0.7 -> mean 0.667
  assert.equal(result.gender, 'female');
  assert.ok(Math.abs(result.genderConfidence! - 2 / 3) < 1e-9);
  const norm = Math.hypot(...result.embedding!);
  assert.ok(Math.abs(norm - 1) < 1e-6);
});

test('the largest confident face of a frame is used; a bigger doubtful box does not hide it', () => {
  const result = combineFrames([[face(80, 0.9), face(300, 0.3), face(200, 0.7)]]);
  assert.equal(result.faceBox!.width, 200);
});

test('why no face: nothing detected, only doubtful faces, or a confident face too small', () => {
  assert.equal(combineFrames([[], []]).noFaceReason, 'no_face');
  assert.equal(combineFrames([[face(200, 0.3)], []]).noFaceReason, 'low_score');
  assert.equal(combineFrames([[face(40, 0.9)], [face(200, 0.2)]]).noFaceReason, 'face_too_small');
  assert.equal(combineFrames([[face(40, 0.9)]], { minFaceSize: 32 }).faceFound, true);
  assert.equal(combineFrames([[face(200, 0.4)]], { minScore: 0.3 }).faceFound, true);
  const none = combineFrames([[face(40, 0.9)]]);
  assert.equal(none.faceFound, false);
  assert.equal(none.embedding, undefined);
  assert.equal(none.age, undefined);
});
