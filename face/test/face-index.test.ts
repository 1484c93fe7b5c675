// FaceIndex: add, replace, remove (swap-delete), search, growth, and that the int8 first pass gives
// exactly what a plain comparison of every float32 row gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaceIndex } from '@pinokio/face';

/** deterministic pseudo-random numbers, so a failure can be replayed */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function vectors(count: number, dimensions: number, seed: number, shape: 'uniform' | 'signed' = 'signed'): Float32Array[] {
  const next = random(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, () => (shape === 'uniform' ? next() : next() - 0.5)));
}

test('search finds the identical embedding with similarity 1, and a scaled copy too', () => {
  const index = new FaceIndex(1024);
  const rows = vectors(50, 1024, 1);
  rows.forEach((row, i) => index.add(`c${i}`, row));
  assert.equal(index.size, 50);
  const match = index.search(rows[17]!.map((value) => value * 3));
  assert.equal(match?.id, 'c17');
  assert.ok(Math.abs(match!.similarity - 1) < 1e-5);
});

test('an empty index finds nothing; minSimilarity filters weak matches', () => {
  const index = new FaceIndex(64);
  assert.equal(index.search(vectors(1, 64, 2)[0]!), undefined);
  const [a, b] = vectors(2, 64, 3);
  index.add('a', a!);
  assert.equal(index.search(b!, { minSimilarity: 0.99 }), undefined);
  assert.equal(index.search(a!, { minSimilarity: 0.99 })?.id, 'a');
});

test('add with a known id replaces its embedding; remove moves the last row into the hole', () => {
  const index = new FaceIndex(32, { initialCapacity: 2 });
  const rows = vectors(5, 32, 4);
  rows.forEach((row, i) => index.add(`c${i}`, row));
  assert.ok(index.capacity >= 5);

  index.add('c1', rows[3]!); // c1 now looks like c3
  assert.equal(index.size, 5);

  assert.equal(index.remove('c0'), true); // c4 moves into row 0
  assert.equal(index.remove('c0'), false);
  assert.equal(index.has('c0'), false);
  assert.equal(index.size, 4);
  assert.equal(index.search(rows[4]!)?.id, 'c4');
  assert.equal(index.search(rows[2]!)?.id, 'c2');
  index.remove('c3');
  assert.equal(index.search(rows[3]!)?.id, 'c1');

  for (const id of ['c1', 'c2', 'c4']) index.remove(id);
  assert.equal(index.size, 0);
  assert.equal(index.search(rows[0]!), undefined);
});

test('wrong lengths and non-finite numbers are refused', () => {
  const index = new FaceIndex(16);
  assert.throws(() => index.add('x', new Float32Array(15)), RangeError);
  assert.throws(() => index.add('x', new Float32Array(16)), RangeError); // zero vector: no direction
  assert.throws(() => index.add('x', new Float32Array(16).fill(Number.NaN)), RangeError);
  assert.throws(() => index.search(new Float32Array(17)), RangeError);
});

test('the int8 first pass returns exactly what comparing every float32 row returns', () => {
  for (const shape of ['signed', 'uniform'] as const) {
    const dimensions = 1024;
    const fast = new FaceIndex(dimensions, { initialCapacity: 8 });
    const plain = new FaceIndex(dimensions, { simd: false });
    assert.equal(fast.usesSimd, true);
    assert.equal(plain.usesSimd, false);
    const rows = vectors(3000, dimensions, shape === 'signed' ? 5 : 6, shape);
    rows.forEach((row, i) => {
      fast.add(`c${i}`, row);
      plain.add(`c${i}`, row);
    });
    for (let i = 0; i < 500; i += 1) {
      fast.remove(`c${i * 3}`);
      plain.remove(`c${i * 3}`);
    }
    // queries near stored rows (a match) and unrelated ones (strangers)
    const strangers = vectors(20, dimensions, 7, shape);
    const near = rows.slice(1, 21).map((row, i) => row.map((value, j) => value + 0.05 * (strangers[i]![j]! - 0.5)));
    for (const query of [...strangers, ...near]) {
      const expected = plain.search(query)!;
      const actual = fast.search(query)!;
      assert.equal(actual.id, expected.id);
      assert.ok(Math.abs(actual.similarity - expected.similarity) < 1e-9);
    }
  }
});

test('dimensions that the SIMD loop cannot take fall back to the plain loop', () => {
  const index = new FaceIndex(100);
  assert.equal(index.usesSimd, false);
  const rows = vectors(10, 100, 8);
  rows.forEach((row, i) => index.add(`c${i}`, row));
  assert.equal(index.search(rows[6]!)?.id, 'c6');
});
