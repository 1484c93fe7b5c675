// An in-memory, exact nearest-neighbour index of L2-normalised face embeddings: one contiguous block
// of float32 rows (row i is the embedding of ids[i]), grown by doubling, removal by moving the last
// row into the hole. Cosine similarity of unit vectors is their dot product. The answer is exact;
// to read fewer bytes per search, a first pass scans int8 copies of the rows (simd-search.ts).
// A row may belong to a member with several rows (templates): searchMembers answers per member.
import { l2Normalise } from './combine.js';
import { decideMatch, type MatchDecision, type MatchRule, type MemberScore } from './decision.js';
import { instantiateSimdSearch, MAX_WASM_PAGES, simdSearchModule, WASM_PAGE_BYTES, type Int8DotsFunction } from './simd-search.js';

export interface FaceMatch {
  id: string;
  /** the member the row belongs to (its id when added without one) */
  member: string;
  /** cosine similarity, -1..1 (FaceRes descriptors give 0..1) */
  similarity: number;
}

export interface FaceIndexOptions {
  /** rows to reserve at first (default 1024); the index grows by doubling */
  initialCapacity?: number;
  /** the int8 WebAssembly SIMD first pass (default: when available); false forces the plain JS loop */
  simd?: boolean;
}

export interface SearchOptions {
  /** only a match at least this similar counts (also makes the search faster) */
  minSimilarity?: number;
}

export interface MemberSearchOptions extends SearchOptions {
  /** the runner-up (the best row of another member) is reported when within this of the best (default 0) */
  runnerUpWithin?: number;
}

/** The best member and, when close behind, the best other member: several rows of one member count once. */
export interface MemberSearch {
  best?: FaceMatch;
  runnerUp?: FaceMatch;
}

interface TopTwo {
  row: number;
  similarity: number;
  /** the best row of a member other than `row`'s */
  runnerUpRow: number;
  runnerUpSimilarity: number;
}

/** int16 levels for the query: fine enough that its rounding barely widens the bounds, small enough
 * that 1024 products of 8191 x 127 stay inside an int32 */
const QUERY_LEVELS = 8191;
const ROW_LEVELS = 127;
/** slack for float rounding in the bounds below */
const BOUND_SLACK = 1e-5;

export class FaceIndex {
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private capacityRows = 0;
  /** the float32 rows: the truth every result is computed from */
  private vectors = new Float32Array(0);
  /** per row: the int8 copy's scale, its distance from the float row, and its length */
  private rowScale = new Float32Array(0);
  private rowError = new Float32Array(0);
  private rowQuantisedNorm = new Float32Array(0);
  /** per row, its member's number (several rows of a member share one) */
  private rowGroup = new Int32Array(0);
  private readonly memberOfId = new Map<string, string>();
  private readonly members = new Map<string, { group: number; ids: Set<string> }>();
  private readonly groupMember: string[] = [];
  private nextGroup = 0;
  /** WebAssembly memory: the int16 query at 0, the int8 rows at rowsAddress, then the int32 dots */
  private readonly memory?: WebAssembly.Memory;
  private readonly dots: Int8DotsFunction | null;
  private readonly rowsAddress: number;

  constructor(
    readonly dimensions = 1024,
    options: FaceIndexOptions = {},
  ) {
    if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, not ${dimensions}`);
    this.rowsAddress = Math.ceil((dimensions * 2) / 16) * 16;
    // the SIMD loop takes 16 numbers a step
    if ((options.simd ?? true) && dimensions % 16 === 0 && simdSearchModule()) {
      this.memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_WASM_PAGES });
      this.dots = instantiateSimdSearch(this.memory);
    } else {
      this.dots = null;
    }
    this.grow(Math.max(1, options.initialCapacity ?? 1024));
  }

  /** true when searches start with the int8 WebAssembly SIMD pass */
  get usesSimd(): boolean {
    return this.dots !== null;
  }

  get size(): number {
    return this.ids.length;
  }

  /** rows reserved so far */
  get capacity(): number {
    return this.capacityRows;
  }

  /** the most rows one index holds (the int8 rows share 4 GiB of WebAssembly memory: about 4M at 1024 dimensions) */
  get maxCapacity(): number {
    return Math.floor((MAX_WASM_PAGES * WASM_PAGE_BYTES - this.rowsAddress) / (this.dimensions + 4));
  }

  /** members with at least one row */
  get memberCount(): number {
    return this.members.size;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** the ids of a member's rows */
  idsOf(member: string): string[] {
    return [...(this.members.get(member)?.ids ?? [])];
  }

  /**
   * Adds the embedding under `id` (normalised on the way in), replacing any previous one. `member`
   * groups several rows (templates) of one person; by default each row is its own member.
   */
  add(id: string, embedding: ArrayLike<number>, member: string = id): void {
    const unit = this.unit(embedding);
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.ids.length;
      if (row + 1 > this.capacityRows) this.grow(row + 1);
      this.ids.push(id);
      this.rowOf.set(id, row);
    } else {
      this.leaveMember(id);
    }
    let entry = this.members.get(member);
    if (!entry) {
      entry = { group: this.nextGroup++, ids: new Set() };
      this.members.set(member, entry);
      this.groupMember[entry.group] = member;
    }
    entry.ids.add(id);
    this.memberOfId.set(id, member);
    this.rowGroup[row] = entry.group;
    this.vectors.set(unit, row * this.dimensions);
    if (this.dots) this.quantiseRow(row, unit);
  }

  /** Removes every row of `member`; returns how many. */
  removeMember(member: string): number {
    const ids = this.idsOf(member);
    for (const id of ids) this.remove(id);
    return ids.length;
  }

  private leaveMember(id: string): void {
    const member = this.memberOfId.get(id);
    if (member === undefined) return;
    this.memberOfId.delete(id);
    const entry = this.members.get(member);
    entry?.ids.delete(id);
    if (entry && entry.ids.size === 0) {
      this.members.delete(member);
      delete this.groupMember[entry.group];
    }
  }

  /** Removes `id`; the last row moves into its place. Returns whether it was there. */
  remove(id: string): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    this.leaveMember(id);
    const last = this.ids.length - 1;
    if (row !== last) {
      const lastId = this.ids[last]!;
      const d = this.dimensions;
      this.vectors.copyWithin(row * d, last * d, (last + 1) * d);
      if (this.dots) {
        this.int8Rows().copyWithin(row * d, last * d, (last + 1) * d);
        this.rowScale[row] = this.rowScale[last]!;
        this.rowError[row] = this.rowError[last]!;
        this.rowQuantisedNorm[row] = this.rowQuantisedNorm[last]!;
      }
      this.rowGroup[row] = this.rowGroup[last]!;
      this.ids[row] = lastId;
      this.rowOf.set(lastId, row);
    }
    this.ids.pop();
    this.rowOf.delete(id);
    return true;
  }

  clear(): void {
    this.ids.length = 0;
    this.rowOf.clear();
    this.memberOfId.clear();
    this.members.clear();
    this.groupMember.length = 0;
  }

  /**
   * The most similar embedding (exact: the same answer as comparing every float32 row), or undefined
   * when the index is empty or nothing reaches `minSimilarity`.
   */
  search(query: ArrayLike<number>, options: SearchOptions = {}): FaceMatch | undefined {
    const q = this.unit(query);
    const count = this.ids.length;
    if (count === 0) return undefined;
    const floor = options.minSimilarity ?? -Infinity;
    const best = this.dots ? this.searchInt8ThenExact(q, count, floor) : this.searchPlainJs(q, count, floor);
    return best.row >= 0 ? this.matchAt(best.row, best.similarity) : undefined;
  }

  /**
   * The most similar member (at least `minSimilarity`) and the most similar other member when within
   * `runnerUpWithin` of it: exact, like search. Rows of one member never compete with each other.
   */
  searchMembers(query: ArrayLike<number>, options: MemberSearchOptions = {}): MemberSearch {
    const q = this.unit(query);
    const count = this.ids.length;
    if (count === 0) return {};
    const minSimilarity = options.minSimilarity ?? -Infinity;
    const within = Math.max(0, options.runnerUpWithin ?? 0);
    const top = this.dots ? this.topTwoInt8ThenExact(q, count, minSimilarity - within) : this.topTwo(q, count, () => true);
    if (top.row < 0 || !(top.similarity >= minSimilarity)) return {};
    const best = this.matchAt(top.row, top.similarity);
    const close = top.runnerUpRow >= 0 && top.runnerUpSimilarity >= top.similarity - within;
    return close ? { best, runnerUp: this.matchAt(top.runnerUpRow, top.runnerUpSimilarity) } : { best };
  }

  /** searchMembers, then the decision rule: a member only when above the threshold and clear of the runner-up */
  matchMember(query: ArrayLike<number>, rule: MatchRule): MatchDecision {
    const { best, runnerUp } = this.searchMembers(query, { minSimilarity: rule.threshold, runnerUpWithin: rule.margin });
    const score = (match: FaceMatch | undefined): MemberScore | undefined => match && { member: match.member, similarity: match.similarity };
    return decideMatch(score(best), score(runnerUp), rule);
  }

  private matchAt(row: number, similarity: number): FaceMatch {
    const id = this.ids[row]!;
    return { id, member: this.memberOfId.get(id) ?? id, similarity };
  }

  /** the best row and the best row of another member, over the rows `candidate` lets through, exactly */
  private topTwo(q: Float32Array, count: number, candidate: (row: number) => boolean): TopTwo {
    const top: TopTwo = { row: -1, similarity: -Infinity, runnerUpRow: -1, runnerUpSimilarity: -Infinity };
    const groups = this.rowGroup;
    for (let row = 0; row < count; row += 1) {
      if (!candidate(row)) continue;
      const similarity = this.exactSimilarity(q, row);
      if (similarity > top.similarity) {
        if (top.row >= 0 && groups[top.row] !== groups[row]) {
          top.runnerUpRow = top.row;
          top.runnerUpSimilarity = top.similarity;
        }
        top.row = row;
        top.similarity = similarity;
      } else if (similarity > top.runnerUpSimilarity && groups[row] !== groups[top.row]) {
        top.runnerUpRow = row;
        top.runnerUpSimilarity = similarity;
      }
    }
    return top;
  }

  /**
   * searchInt8ThenExact for two members: the second-best member's lower bound (or the floor, when
   * higher) rules rows out, since two different members are at least that similar. The rest are
   * computed exactly.
   */
  private topTwoInt8ThenExact(q: Float32Array, count: number, floor: number): TopTwo {
    const { estimate, slack } = this.int8Estimates(q, count);
    const groups = this.rowGroup;
    let bestLower = -Infinity;
    let bestGroup = -1;
    let secondLower = -Infinity;
    for (let row = 0; row < count; row += 1) {
      const lower = estimate(row) - slack(row);
      const group = groups[row]!;
      if (lower > bestLower) {
        if (group !== bestGroup) secondLower = bestLower;
        bestLower = lower;
        bestGroup = group;
      } else if (lower > secondLower && group !== bestGroup) {
        secondLower = lower;
      }
    }
    const cut = Math.max(floor, secondLower);
    return this.topTwo(q, count, (row) => estimate(row) + slack(row) >= cut);
  }

  /** the int8 estimate of each row's similarity and how far the truth can be from it (see below) */
  private int8Estimates(q: Float32Array, count: number): { estimate: (row: number) => number; slack: (row: number) => number } {
    const d = this.dimensions;
    let maxAbs = 0;
    for (const value of q) maxAbs = Math.max(maxAbs, Math.abs(value));
    const queryScale = maxAbs / QUERY_LEVELS;
    const query16 = new Int16Array(this.memory!.buffer, 0, d);
    let queryErrorSquared = 0;
    for (let i = 0; i < d; i += 1) {
      const level = Math.round(q[i]! / queryScale);
      query16[i] = level;
      queryErrorSquared += (q[i]! - level * queryScale) ** 2;
    }
    const queryError = Math.sqrt(queryErrorSquared);
    const dotsAddress = this.rowsAddress + this.capacityRows * d;
    this.dots!(0, this.rowsAddress, count, d, dotsAddress);
    const dots = new Int32Array(this.memory!.buffer, dotsAddress, count);
    const { rowScale, rowError, rowQuantisedNorm } = this;
    return {
      estimate: (row) => dots[row]! * queryScale * rowScale[row]!,
      slack: (row) => rowError[row]! + queryError * rowQuantisedNorm[row]! + BOUND_SLACK,
    };
  }

  /**
   * First pass: int8 rows against an int16 query, in WebAssembly SIMD. For a unit query q and row x
   * with quantised copies q' and x', |q.x - q'.x'| <= |x - x'| + |q - q'| |x'| (Cauchy-Schwarz), so
   * each row's true similarity lies within a known distance of its estimate. Only the rows whose upper
   * bound reaches the best lower bound (and minSimilarity) can be the answer; those few are computed
   * exactly from the float32 rows.
   */
  private searchInt8ThenExact(q: Float32Array, count: number, minSimilarity: number): { row: number; similarity: number } {
    const { estimate, slack } = this.int8Estimates(q, count);
    let floor = minSimilarity;
    for (let row = 0; row < count; row += 1) {
      const lower = estimate(row) - slack(row);
      if (lower > floor) floor = lower;
    }
    let bestRow = -1;
    let best = -Infinity;
    for (let row = 0; row < count; row += 1) {
      if (estimate(row) + slack(row) < floor) continue;
      const similarity = this.exactSimilarity(q, row);
      if (similarity > best) {
        best = similarity;
        bestRow = row;
      }
    }
    return best >= minSimilarity ? { row: bestRow, similarity: best } : { row: -1, similarity: best };
  }

  private searchPlainJs(q: Float32Array, count: number, minSimilarity: number): { row: number; similarity: number } {
    let bestRow = -1;
    let best = -Infinity;
    for (let row = 0; row < count; row += 1) {
      const similarity = this.exactSimilarity(q, row);
      if (similarity > best) {
        best = similarity;
        bestRow = row;
      }
    }
    return best >= minSimilarity ? { row: bestRow, similarity: best } : { row: -1, similarity: best };
  }

  private exactSimilarity(q: Float32Array, row: number): number {
    const { vectors, dimensions } = this;
    const offset = row * dimensions;
    // four accumulators: independent additions the CPU can overlap
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i + 3 < dimensions; i += 4) {
      s0 += q[i]! * vectors[offset + i]!;
      s1 += q[i + 1]! * vectors[offset + i + 1]!;
      s2 += q[i + 2]! * vectors[offset + i + 2]!;
      s3 += q[i + 3]! * vectors[offset + i + 3]!;
    }
    for (; i < dimensions; i += 1) s0 += q[i]! * vectors[offset + i]!;
    return s0 + s1 + s2 + s3;
  }

  private quantiseRow(row: number, unit: Float32Array): void {
    let maxAbs = 0;
    for (const value of unit) maxAbs = Math.max(maxAbs, Math.abs(value));
    const scale = maxAbs / ROW_LEVELS;
    const int8 = this.int8Rows().subarray(row * this.dimensions, (row + 1) * this.dimensions);
    let errorSquared = 0;
    let normSquared = 0;
    for (let i = 0; i < unit.length; i += 1) {
      const level = Math.round(unit[i]! / scale);
      int8[i] = level;
      errorSquared += (unit[i]! - level * scale) ** 2;
      normSquared += (level * scale) ** 2;
    }
    this.rowScale[row] = scale;
    this.rowError[row] = Math.sqrt(errorSquared);
    this.rowQuantisedNorm[row] = Math.sqrt(normSquared);
  }

  private int8Rows(): Int8Array {
    return new Int8Array(this.memory!.buffer, this.rowsAddress, this.capacityRows * this.dimensions);
  }

  private unit(vector: ArrayLike<number>): Float32Array {
    if (vector.length !== this.dimensions) throw new RangeError(`Expected an embedding of ${this.dimensions} numbers, got ${vector.length}.`);
    for (let i = 0; i < vector.length; i += 1) {
      if (!Number.isFinite(vector[i])) throw new RangeError('An embedding must hold finite numbers only.');
    }
    return l2Normalise(vector instanceof Float32Array ? vector : Float32Array.from(vector));
  }

  private grow(rowsNeeded: number): void {
    if (rowsNeeded > this.maxCapacity) throw new RangeError(`The face index is full: at most ${this.maxCapacity} embeddings of ${this.dimensions} numbers.`);
    const rows = Math.min(this.maxCapacity, Math.max(rowsNeeded, this.capacityRows * 2));
    const used = this.ids.length;
    const d = this.dimensions;
    const bigger = new Float32Array(rows * d);
    bigger.set(this.vectors.subarray(0, used * d));
    this.vectors = bigger;
    const growMeta = (old: Float32Array) => {
      const next = new Float32Array(rows);
      next.set(old.subarray(0, used));
      return next;
    };
    this.rowScale = growMeta(this.rowScale);
    this.rowError = growMeta(this.rowError);
    this.rowQuantisedNorm = growMeta(this.rowQuantisedNorm);
    const groups = new Int32Array(rows);
    groups.set(this.rowGroup.subarray(0, used));
    this.rowGroup = groups;
    if (this.memory) {
      // int8 rows stay where they are; the dots scratch after them moves out with the capacity
      const bytesNeeded = this.rowsAddress + rows * (d + 4);
      const pages = Math.ceil(bytesNeeded / WASM_PAGE_BYTES);
      const current = this.memory.buffer.byteLength / WASM_PAGE_BYTES;
      if (pages > current) this.memory.grow(pages - current);
    }
    this.capacityRows = rows;
  }
}
