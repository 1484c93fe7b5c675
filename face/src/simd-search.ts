// The search's first pass as a tiny WebAssembly module with 128-bit SIMD. Memory bandwidth, not
// arithmetic, limits a scan of 100k float32 rows (400 MB): a plain JS loop took about 105 ms here and
// a float32 SIMD loop about 35 ms, against a goal of 20 ms. So the scan reads int8 copies of the rows
// (a quarter of the bytes) and the index re-checks the few rows that could still be the best
// against the float32 originals, which keeps the result exact (face-index.ts).
//
// The module is assembled from the bytes below (no toolchain needed). In WebAssembly text it is:
//
//   (import "env" "memory" (memory 1 65536))
//   (func (export "dots") (param $query i32) (param $rows i32) (param $count i32) (param $dims i32)
//                         (param $out i32)
//     ;; query: $dims int16; rows: $count rows of $dims int8 ($dims a multiple of 16);
//     ;; out[r] = sum(query[i] * row_r[i]) as int32, 16 products a step in two i32x4 accumulators
//     ;; (i16x8.extend_{low,high}_i8x16_s, i32x4.dot_i16x8_s, i32x4.add)
//   )

const i32 = 0x7f;
const v128 = 0x7b;

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const name = (text: string) => [...uleb(text.length), ...Buffer.from(text, 'utf8')];

// locals: params 0-4, then these
const [QUERY, ROWS, COUNT, DIMS, OUT] = [0, 1, 2, 3, 4];
const [ROW, QP, ROW_END, ACC0, ACC1] = [5, 6, 7, 8, 9];

const get = (local: number) => [0x20, local];
const set = (local: number) => [0x21, local];
const simd = (opcode: number, ...immediates: number[]) => [0xfd, ...uleb(opcode), ...immediates];
const V128_LOAD = 0x00;
const V128_CONST = 0x0c;
const I32X4_EXTRACT_LANE = 0x1b;
const I16X8_EXTEND_LOW_I8X16_S = 0x87;
const I16X8_EXTEND_HIGH_I8X16_S = 0x88;
const I32X4_ADD = 0xae;
const I32X4_DOT_I16X8_S = 0xba;
const memarg = (offset: number) => [0, ...uleb(offset)]; // alignment 1 byte (2^0), offset
const zeroV128 = simd(V128_CONST, ...new Array<number>(16).fill(0));

/** acc += dot(extend(row[0..16) half), query[offset..offset+16 bytes)) */
const dotHalf = (acc: number, extend: number, queryOffset: number) => [
  ...get(acc),
  ...get(ROWS),
  ...simd(V128_LOAD, ...memarg(0)),
  ...simd(extend),
  ...get(QP),
  ...simd(V128_LOAD, ...memarg(queryOffset)),
  ...simd(I32X4_DOT_I16X8_S),
  ...simd(I32X4_ADD),
  ...set(acc),
];

const lane = (n: number) => [...get(ACC0), ...simd(I32X4_EXTRACT_LANE, n)];

const body = [
  ...vec([
    [3, i32],
    [2, v128],
  ]), // ROW QP ROW_END | ACC0 ACC1
  0x02,
  0x40, // block (exit)
  0x03,
  0x40, // loop over rows
  ...get(ROW),
  ...get(COUNT),
  0x4f,
  0x0d,
  1, // row >= count (unsigned): exit
  ...zeroV128,
  ...set(ACC0),
  ...zeroV128,
  ...set(ACC1),
  ...get(QUERY),
  ...set(QP),
  ...get(ROWS),
  ...get(DIMS),
  0x6a,
  ...set(ROW_END),
  0x03,
  0x40, // loop over the row, 16 products a step
  ...dotHalf(ACC0, I16X8_EXTEND_LOW_I8X16_S, 0),
  ...dotHalf(ACC1, I16X8_EXTEND_HIGH_I8X16_S, 16),
  ...get(ROWS),
  0x41,
  16,
  0x6a,
  ...set(ROWS),
  ...get(QP),
  0x41,
  32,
  0x6a,
  ...set(QP),
  ...get(ROWS),
  ...get(ROW_END),
  0x49,
  0x0d,
  0, // rows < rowEnd (unsigned): again
  0x0b,
  ...get(ACC0),
  ...get(ACC1),
  ...simd(I32X4_ADD),
  ...set(ACC0),
  ...get(OUT),
  ...lane(0),
  ...lane(1),
  0x6a,
  ...lane(2),
  0x6a,
  ...lane(3),
  0x6a,
  0x36,
  2,
  0, // i32.store
  ...get(OUT),
  0x41,
  4,
  0x6a,
  ...set(OUT),
  ...get(ROW),
  0x41,
  1,
  0x6a,
  ...set(ROW),
  0x0c,
  0, // next row
  0x0b, // end loop
  0x0b, // end block
  0x0b,
];

const moduleBytes = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  ...section(1, vec([[0x60, ...vec([[i32], [i32], [i32], [i32], [i32]]), ...vec([])]])),
  ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x01, ...uleb(1), ...uleb(65536)]])),
  ...section(3, vec([[0]])),
  ...section(7, vec([[...name('dots'), 0x00, 0]])),
  ...section(10, vec([[...uleb(body.length), ...body]])),
]);

export const WASM_PAGE_BYTES = 65536;
/** wasm32: 4 GiB of linear memory at most */
export const MAX_WASM_PAGES = 65536;

/** writes count int32 dot products at outAddress */
export type Int8DotsFunction = (queryAddress: number, rowsAddress: number, count: number, dimensions: number, outAddress: number) => void;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is not available (the plain JS loop is used then). */
export function simdSearchModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(moduleBytes) ? new WebAssembly.Module(moduleBytes) : null;
  }
  return compiled;
}

export function instantiateSimdSearch(memory: WebAssembly.Memory): Int8DotsFunction | null {
  const module = simdSearchModule();
  if (!module) return null;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports.dots as Int8DotsFunction;
}
