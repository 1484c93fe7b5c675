// A pool of worker threads implementing FaceAnalyzer, so the server's event loop never runs a model.
// Each worker loads the models once. A capture's frames are spread over the workers, one frame per
// job, and combined here (cheap), so a 3-frame capture on 2 workers costs two frames of time, not
// three. Captures wait in a bounded queue; each has a timeout, after which the workers still on its
// frames are terminated and replaced (a stuck WASM call cannot be interrupted any other way) and the
// caller gets AnalysisTimeoutError.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AnalysisTimeoutError, AnalyzerBusyError, ImageError, type AnalysisResult, type AnalyzeCallOptions, type FaceAnalyzer } from './face-analyzer.js';
import { combineCapture, type FrameOutcome } from './combine.js';
import { checkFrameCount } from './frame-analyzer.js';
import type { AnalysisOptions } from './in-process-analyzer.js';
import type { SerialisedError, WorkerReply, WorkerRequest } from './pool-protocol.js';

export interface FacePoolOptions extends AnalysisOptions {
  /** worker threads (default min(2, CPU cores)); each holds its own models, about 250 MB */
  size?: number;
  /** per analysis, from the moment a worker takes its first frame (default 10 s) */
  timeoutMs?: number;
  /** for a worker to load its models (default 60 s) */
  loadTimeoutMs?: number;
  /** analyses (captures, whatever their frame count) waiting for a worker beyond which analyze() fails
   * with AnalyzerBusyError (default 64) */
  maxQueue?: number;
}

export interface FacePool extends FaceAnalyzer {
  /** starts every worker and waits until their models are loaded (analyze does this lazily otherwise) */
  ready(): Promise<void>;
  /** worker threads that are alive (starting, idle or busy) */
  readonly workers: number;
  /** analyses waiting for a worker (none of their frames taken yet) */
  readonly queued: number;
}

export const defaultPoolSize = () => Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));

/** One analyze() call: its frames go to workers one by one and come back in any order. */
interface Capture {
  /** the pool's own copies, handed over (transferred) to the workers one at a time */
  images: Uint8Array[];
  /** frames handed to a worker so far */
  dispatched: number;
  outcomes: FrameOutcome[];
  answered: number;
  timeoutMs: number;
  /** runs from the moment a worker takes the first frame until the last worker on it is done */
  timer?: NodeJS.Timeout;
  /** workers on one of its frames right now */
  running: Set<Slot>;
  /** answered or failed; frames still out are left to finish (or time out) and their replies ignored */
  settled: boolean;
  resolve(result: AnalysisResult): void;
  reject(error: Error): void;
}

interface Job {
  id: number;
  capture: Capture;
  frameIndex: number;
}

interface Slot {
  worker: Worker;
  loaded: boolean;
  job?: Job;
  /** set once the pool has given up on this worker (timeout, crash, close) */
  retired: boolean;
  loadedSignal: { promise: Promise<void>; resolve(): void; reject(error: Error): void };
}

// The worker is compiled JavaScript in dist/; under tsx (running from src/) it is the .ts sibling.
const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './pool-worker.ts' : './pool-worker.js', import.meta.url);

function revive(error: SerialisedError): Error {
  if (error.code) return new ImageError(error.code, error.message, error.frameIndex);
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}

function signal() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // observed by whoever awaits ready(); a load failure also fails the queued jobs
  return { promise, resolve, reject };
}

export function createFacePool(options: FacePoolOptions = {}): FacePool {
  const { size = defaultPoolSize(), timeoutMs = 10_000, loadTimeoutMs = 60_000, maxQueue = 64, ...analysisOptions } = options;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Face pool size must be a positive integer, not ${size}.`);
  const slots = new Set<Slot>();
  /** captures with frames no worker has taken yet, oldest first; only the first can have begun */
  const queue: Capture[] = [];
  const waiting = () => queue.length - (queue[0]?.dispatched ? 1 : 0);
  let nextJobId = 1;
  let closed = false;

  function startWorker(): Slot {
    const worker = new Worker(workerUrl, { workerData: { options: analysisOptions } });
    const slot: Slot = { worker, loaded: false, retired: false, loadedSignal: signal() };
    slots.add(slot);
    const loadTimer = setTimeout(() => {
      failLoad(slot, new Error(`Face worker did not load its models in ${loadTimeoutMs} ms.`));
    }, loadTimeoutMs).unref();

    worker.on('message', (reply: WorkerReply) => {
      if (slot.retired) return;
      if (reply.type === 'ready') {
        clearTimeout(loadTimer);
        slot.loaded = true;
        slot.loadedSignal.resolve();
        slot.worker.unref(); // an idle worker does not keep the process alive; dispatch refs a busy one
        dispatch();
      } else if (reply.type === 'load_failed') {
        clearTimeout(loadTimer);
        failLoad(slot, new Error(`Face worker could not load its models: ${reply.message}`));
      } else {
        const job = slot.job;
        if (!job || job.id !== reply.id) return;
        release(slot);
        if (reply.type === 'faces') recordFrame(job.capture, job.frameIndex, reply.faces);
        else {
          const error = revive(reply.error);
          // an unreadable frame is one frame's answer; anything else fails the capture
          if (error instanceof ImageError) recordFrame(job.capture, job.frameIndex, error);
          else fail(job.capture, error);
        }
        dispatch();
      }
    });
    worker.on('error', (error) => {
      clearTimeout(loadTimer);
      if (!slot.loaded) failLoad(slot, error);
      else replace(slot, new Error(`Face worker failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      clearTimeout(loadTimer);
      if (slot.retired) return;
      if (!slot.loaded) failLoad(slot, new Error(`Face worker exited (${code}) while loading its models.`));
      else replace(slot, new Error(`Face worker exited unexpectedly (${code}).`));
    });
    return slot;
  }

  /** the worker is done with its frame (answered, or given up on) */
  function release(slot: Slot): void {
    const capture = slot.job?.capture;
    slot.job = undefined;
    slot.worker.unref();
    if (!capture) return;
    capture.running.delete(slot);
    if (capture.settled && capture.running.size === 0) clearTimeout(capture.timer);
  }

  function settle(capture: Capture): boolean {
    if (capture.settled) return false;
    capture.settled = true;
    const position = queue.indexOf(capture);
    if (position >= 0) queue.splice(position, 1);
    if (capture.running.size === 0) clearTimeout(capture.timer);
    return true;
  }

  function fail(capture: Capture, error: Error): void {
    if (settle(capture)) capture.reject(error);
  }

  function recordFrame(capture: Capture, frameIndex: number, outcome: FrameOutcome): void {
    if (capture.settled) return;
    capture.outcomes[frameIndex] = outcome;
    capture.answered += 1;
    if (capture.answered < capture.images.length) return;
    let result: AnalysisResult;
    try {
      result = combineCapture(capture.outcomes, analysisOptions);
    } catch (error) {
      fail(capture, error as Error);
      return;
    }
    if (settle(capture)) capture.resolve(result);
  }

  /** the capture is out of time: it fails, and the workers still on its frames may be stuck */
  function timeOut(capture: Capture): void {
    const error = new AnalysisTimeoutError(capture.timeoutMs);
    fail(capture, error);
    for (const slot of [...capture.running]) replace(slot, error);
  }

  function retire(slot: Slot): Promise<number> {
    slot.retired = true;
    slots.delete(slot);
    release(slot);
    return slot.worker.terminate();
  }

  /** a worker that cannot load its models: they would fail in any worker, so the waiting work fails
   * too; the next analyze() tries to start workers again */
  function failLoad(slot: Slot, error: Error): void {
    if (slot.retired) return;
    void retire(slot);
    slot.loadedSignal.reject(error);
    for (const capture of queue.splice(0)) fail(capture, error);
  }

  /** a worker that timed out or crashed: its capture fails, a fresh worker takes its place */
  function replace(slot: Slot, error: Error): void {
    if (slot.retired) return;
    const capture = slot.job?.capture;
    void retire(slot);
    if (capture) fail(capture, error);
    if (!closed) startWorker();
    dispatch();
  }

  function dispatch(): void {
    for (const slot of slots) {
      const capture = queue[0];
      if (!capture) return;
      if (!slot.loaded || slot.job || slot.retired) continue;
      const frameIndex = capture.dispatched++;
      if (capture.dispatched === capture.images.length) queue.shift();
      const image = capture.images[frameIndex]!;
      capture.images[frameIndex] = new Uint8Array(0); // transferred below
      capture.timer ??= setTimeout(() => timeOut(capture), capture.timeoutMs);
      capture.running.add(slot);
      slot.job = { id: nextJobId++, capture, frameIndex };
      slot.worker.ref();
      const request: WorkerRequest = { id: slot.job.id, frameIndex, image };
      slot.worker.postMessage(request, [image.buffer as ArrayBuffer]);
    }
  }

  function ensureWorkers(): void {
    while (!closed && slots.size < size) startWorker();
  }

  return {
    get workers() {
      return slots.size;
    },
    get queued() {
      return waiting();
    },

    async ready() {
      if (closed) throw new Error('The face pool is closed.');
      ensureWorkers();
      await Promise.all([...slots].map((slot) => slot.loadedSignal.promise));
    },

    analyze(images: Uint8Array[], callOptions: AnalyzeCallOptions = {}) {
      if (closed) return Promise.reject(new Error('The face pool is closed.'));
      if (!Array.isArray(images) || !images.every((image) => image instanceof Uint8Array)) {
        return Promise.reject(new TypeError('analyze() takes an array of encoded frames (Uint8Array or Buffer).'));
      }
      try {
        checkFrameCount(images, analysisOptions);
      } catch (error) {
        return Promise.reject(error);
      }
      if (waiting() >= maxQueue) return Promise.reject(new AnalyzerBusyError(maxQueue));
      return new Promise<AnalysisResult>((resolve, reject) => {
        queue.push({
          // copies: the caller keeps its buffers, which may be slices of a larger pooled one
          images: images.map((image) => Uint8Array.from(image)),
          dispatched: 0,
          outcomes: [],
          answered: 0,
          timeoutMs: callOptions.timeoutMs ?? timeoutMs,
          running: new Set(),
          settled: false,
          resolve,
          reject,
        });
        ensureWorkers();
        dispatch();
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      const error = new Error('The face pool is closed.');
      for (const capture of queue.splice(0)) fail(capture, error);
      await Promise.all(
        [...slots].map((slot) => {
          slot.loadedSignal.reject(error);
          if (slot.job) fail(slot.job.capture, error);
          return retire(slot);
        }),
      );
    },
  };
}
