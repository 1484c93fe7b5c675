// A pool of worker threads implementing FaceAnalyzer, so the server's event loop never runs a model.
// Each worker loads the models once. Work waits in a bounded queue; each analysis has a timeout,
// after which its worker is terminated and replaced (a stuck WASM call cannot be interrupted any
// other way) and the caller gets AnalysisTimeoutError.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  AnalysisTimeoutError,
  AnalyzerBusyError,
  ImageError,
  type AnalysisResult,
  type AnalyzeCallOptions,
  type FaceAnalyzer,
} from './face-analyzer.js';
import type { AnalysisOptions } from './in-process-analyzer.js';
import type { SerialisedError, WorkerReply, WorkerRequest } from './pool-protocol.js';

export interface FacePoolOptions extends AnalysisOptions {
  /** worker threads (default min(2, CPU cores)); each holds its own models, about 250 MB */
  size?: number;
  /** per analysis, from the moment a worker takes it (default 10 s) */
  timeoutMs?: number;
  /** for a worker to load its models (default 60 s) */
  loadTimeoutMs?: number;
  /** analyses waiting for a worker beyond which analyze() fails with AnalyzerBusyError (default 64) */
  maxQueue?: number;
}

export interface FacePool extends FaceAnalyzer {
  /** starts every worker and waits until their models are loaded (analyze does this lazily otherwise) */
  ready(): Promise<void>;
  /** worker threads that are alive (starting, idle or busy) */
  readonly workers: number;
  /** analyses waiting for a worker */
  readonly queued: number;
}

export const defaultPoolSize = () => Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));

interface Job {
  id: number;
  images: Uint8Array[];
  timeoutMs: number;
  resolve(result: AnalysisResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  loaded: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
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
  const queue: Job[] = [];
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
        finishJob(slot);
        if (reply.type === 'result') job.resolve(reply.result);
        else job.reject(revive(reply.error));
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

  function finishJob(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    slot.worker.unref();
  }

  function retire(slot: Slot): Promise<number> {
    slot.retired = true;
    slots.delete(slot);
    if (slot.timer) clearTimeout(slot.timer);
    return slot.worker.terminate();
  }

  /** a worker that cannot load its models: they would fail in any worker, so the waiting work fails
   * too; the next analyze() tries to start workers again */
  function failLoad(slot: Slot, error: Error): void {
    if (slot.retired) return;
    void retire(slot);
    slot.loadedSignal.reject(error);
    for (const job of queue.splice(0)) job.reject(error);
  }

  /** a worker that timed out or crashed: its job fails, a fresh worker takes its place */
  function replace(slot: Slot, error: Error): void {
    if (slot.retired) return;
    const job = slot.job;
    void retire(slot);
    job?.reject(error);
    if (!closed) startWorker();
    dispatch();
  }

  function dispatch(): void {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (!slot.loaded || slot.job || slot.retired) continue;
      const job = queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => replace(slot, new AnalysisTimeoutError(job.timeoutMs)), job.timeoutMs);
      const request: WorkerRequest = { id: job.id, images: job.images };
      slot.worker.postMessage(request);
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
      return queue.length;
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
      if (queue.length >= maxQueue) return Promise.reject(new AnalyzerBusyError(maxQueue));
      return new Promise<AnalysisResult>((resolve, reject) => {
        // copies: the caller keeps its buffers, which may be slices of a larger pooled one
        queue.push({ id: nextJobId++, images: images.map((image) => Uint8Array.from(image)), timeoutMs: callOptions.timeoutMs ?? timeoutMs, resolve, reject });
        ensureWorkers();
        dispatch();
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      const error = new Error('The face pool is closed.');
      for (const job of queue.splice(0)) job.reject(error);
      await Promise.all(
        [...slots].map((slot) => {
          slot.loadedSignal.reject(error);
          slot.job?.reject(error);
          return retire(slot);
        }),
      );
    },
  };
}
