// The decision rule (docs/faces.md, "Decision rule"): threshold plus a margin over the best other
// member, several templates of one member counted once, a larger face for identity than for age and
// gender, and agreement across a capture's frames. Embeddings are made here; no models run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineFrames, DECISION_DEFAULTS, decideMatch, FaceIndex, type DetectedFace } from '@pinokio/face';

const rule = { threshold: DECISION_DEFAULTS.matchThreshold, margin: DECISION_DEFAULTS.matchMargin };
const DIMENSIONS = 1024;

/** a random unit vector (seeded) */
function randomUnit(seed: number): Float32Array {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const vector = Float32Array.from({ length: DIMENSIONS }, next);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

/** a unit vector whose cosine similarity with unit `base` is exactly `similarity` (towards `other`) */
function withSimilarity(base: Float32Array, other: Float32Array, similarity: number): Float32Array {
  let along = 0;
  for (let i = 0; i < DIMENSIONS; i += 1) along += other[i]! * base[i]!;
  const orthogonal = other.map((value, i) => value - along * base[i]!);
  const norm = Math.hypot(...orthogonal);
  const side = Math.sqrt(1 - similarity * similarity);
  return base.map((value, i) => similarity * value + (side * orthogonal[i]!) / norm);
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

for (const simd of [true, false]) {
  const label = simd ? 'int8 first pass' : 'plain loop';

  test(`${label}: two enrolled members close to each other -> no match, even above the threshold`, () => {
    const index = new FaceIndex(DIMENSIONS, { simd });
    const visitor = randomUnit(1);
    // two members both above the threshold, within the margin of each other (siblings, a look-alike)
    index.add('anna', withSimilarity(visitor, randomUnit(2), 0.8));
    index.add('bora', withSimilarity(visitor, randomUnit(3), 0.78));
    for (let i = 0; i < 200; i += 1) index.add(`stranger-${i}`, randomUnit(100 + i));
    const decision = index.matchMember(visitor, rule);
    assert.equal(decision.outcome, 'ambiguous');
    assert.ok(Math.abs((decision as { runnerUp: number }).runnerUp - 0.78) < 1e-5);

    // the same visitor with the runner-up further away than the margin: matched
    index.add('bora', withSimilarity(visitor, randomUnit(3), 0.8 - rule.margin - 0.01));
    const clear = index.matchMember(visitor, rule);
    assert.equal(clear.outcome, 'match');
    assert.equal((clear as { member: string }).member, 'anna');
  });

  test(`${label}: several templates of one member count as one candidate, and the best of them is used`, () => {
    const index = new FaceIndex(DIMENSIONS, { simd });
    const visitor = randomUnit(11);
    index.add('t1', withSimilarity(visitor, randomUnit(12), 0.72), 'anna');
    index.add('t2', withSimilarity(visitor, randomUnit(13), 0.9), 'anna');
    index.add('t3', withSimilarity(visitor, randomUnit(14), 0.88), 'anna');
    index.add('t4', withSimilarity(visitor, randomUnit(15), 0.5), 'bora');
    const search = index.searchMembers(visitor, { minSimilarity: rule.threshold, runnerUpWithin: 1 });
    assert.equal(search.best?.id, 't2');
    assert.equal(search.best?.member, 'anna');
    assert.equal(search.runnerUp?.member, 'bora');
    assert.ok(Math.abs(search.runnerUp!.similarity - 0.5) < 1e-5);
    assert.equal(index.matchMember(visitor, rule).outcome, 'match');
    assert.equal(index.memberCount, 2);

    // forgetting the member removes every template
    assert.equal(index.removeMember('anna'), 3);
    assert.equal(index.memberCount, 1);
    assert.equal(index.matchMember(visitor, rule).outcome, 'no_match');
  });

  test(`${label}: the member search agrees with comparing every row, member by member`, () => {
    const index = new FaceIndex(DIMENSIONS, { simd, initialCapacity: 4 });
    const rows: Array<{ id: string; member: string; vector: Float32Array }> = [];
    const queries = [randomUnit(500), randomUnit(501), randomUnit(502)];
    for (let i = 0; i < 600; i += 1) {
      const member = `m${i % 150}`;
      // some rows close to a query, so members compete near the top
      const vector = i % 7 === 0 ? withSimilarity(queries[i % 3]!, randomUnit(1000 + i), 0.6 + (i % 13) / 40) : randomUnit(1000 + i);
      rows.push({ id: `r${i}`, member, vector });
      index.add(`r${i}`, vector, member);
    }
    for (const query of queries) {
      const perMember = new Map<string, number>();
      for (const row of rows) perMember.set(row.member, Math.max(perMember.get(row.member) ?? -1, cosine(query, row.vector)));
      const ranked = [...perMember.entries()].sort((a, b) => b[1] - a[1]);
      const search = index.searchMembers(query, { minSimilarity: 0, runnerUpWithin: 1 });
      assert.equal(search.best?.member, ranked[0]![0]);
      assert.equal(search.runnerUp?.member, ranked[1]![0]);
      assert.ok(Math.abs(search.runnerUp!.similarity - ranked[1]![1]) < 1e-5);
    }
  });
}

test('decideMatch: below the threshold nobody; a lone member above it is matched', () => {
  assert.deepEqual(decideMatch({ member: 'a', similarity: 0.69 }, undefined, rule), { outcome: 'no_match' });
  assert.deepEqual(decideMatch(undefined, undefined, rule), { outcome: 'no_match' });
  assert.deepEqual(decideMatch({ member: 'a', similarity: 0.75 }, undefined, rule), { outcome: 'match', member: 'a', similarity: 0.75 });
  assert.equal(decideMatch({ member: 'a', similarity: 0.75 }, { member: 'b', similarity: 0.75 - rule.margin / 2 }, rule).outcome, 'ambiguous');
});

function face(size: number, embedding: Float32Array, extra: Partial<DetectedFace> = {}): DetectedFace {
  return { box: { x: 0, y: 0, width: size, height: size }, score: 0.9, embedding, age: 60, gender: 'female', genderScore: 0.8, ...extra };
}

test('a small face gives age and gender but no identity', () => {
  const size = DECISION_DEFAULTS.minIdentityFaceSize - 10; // above the 64 px gate for age, below identity
  const result = combineFrames([[face(size, randomUnit(21), { age: 70 })], [face(size, randomUnit(21), { age: 74 })]]);
  assert.equal(result.faceFound, true);
  assert.equal(result.age, 72);
  assert.equal(result.gender, 'female');
  assert.equal(result.embedding, undefined);
  assert.equal(result.identityWithheld, 'face_too_small_for_identity');
});

test('only the frames large enough for identity make the embedding', () => {
  const person = randomUnit(31);
  const big = DECISION_DEFAULTS.minIdentityFaceSize + 20;
  const result = combineFrames([[face(80, randomUnit(32))], [face(big, person)]]);
  assert.equal(result.identityWithheld, undefined);
  assert.ok(cosine(result.embedding!, person) > 0.9999);
});

test('frames that disagree (two different faces in one capture) -> no identity, and so no match', () => {
  const size = DECISION_DEFAULTS.minIdentityFaceSize + 20;
  const first = randomUnit(41);
  const someoneElse = withSimilarity(first, randomUnit(42), DECISION_DEFAULTS.minFrameAgreement - 0.1);
  const result = combineFrames([[face(size, first)], [face(size, first)], [face(size, someoneElse)]]);
  assert.equal(result.faceFound, true);
  assert.equal(result.age, 60);
  assert.equal(result.embedding, undefined);
  assert.equal(result.identityWithheld, 'frames_disagree');
  assert.ok(result.frameAgreement! < DECISION_DEFAULTS.minFrameAgreement);
});

test('frames that agree are averaged: the embedding is the normalised mean of their descriptors', () => {
  const size = DECISION_DEFAULTS.minIdentityFaceSize + 20;
  const person = randomUnit(51);
  const a = withSimilarity(person, randomUnit(52), 0.9);
  const b = withSimilarity(person, randomUnit(53), 0.9);
  const result = combineFrames([[face(size, a)], [face(size, b)]]);
  const mean = a.map((value, i) => value + b[i]!);
  const norm = Math.hypot(...mean);
  assert.ok(
    cosine(
      result.embedding!,
      mean.map((value) => value / norm),
    ) > 0.99999,
  );
  // the average is nearer the person than either frame
  assert.ok(cosine(result.embedding!, person) > 0.9);
  assert.ok(result.frameAgreement! >= DECISION_DEFAULTS.minFrameAgreement);
});

test('rows removed one by one, or moved to another member, keep each member counted once', () => {
  const index = new FaceIndex(DIMENSIONS);
  const visitor = randomUnit(61);
  index.add('t1', withSimilarity(visitor, randomUnit(62), 0.9), 'anna');
  index.add('t2', withSimilarity(visitor, randomUnit(63), 0.85), 'anna');
  index.add('t3', withSimilarity(visitor, randomUnit(64), 0.6), 'bora');
  assert.deepEqual(index.idsOf('anna').sort(), ['t1', 't2']);
  // t2 re-filed under bora: now bora is within the margin of anna
  index.add('t2', withSimilarity(visitor, randomUnit(63), 0.88), 'bora');
  assert.deepEqual(index.idsOf('anna'), ['t1']);
  assert.equal(index.matchMember(visitor, rule).outcome, 'ambiguous');
  assert.equal(index.remove('t1'), true);
  assert.equal(index.memberCount, 1);
  const decision = index.matchMember(visitor, rule);
  assert.equal(decision.outcome, 'match');
  assert.equal((decision as { member: string }).member, 'bora');
});
