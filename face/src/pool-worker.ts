// One worker of the face pool: loads the models once, then analyses one frame at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { ImageError } from './face-analyzer.js';
import { createFrameAnalyzer } from './frame-analyzer.js';
import type { AnalysisOptions } from './in-process-analyzer.js';
import type { WorkerReply, WorkerRequest } from './pool-protocol.js';

const port = parentPort!;
const analyzer = createFrameAnalyzer((workerData as { options: AnalysisOptions }).options);
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

try {
  await analyzer.ready();
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'load_failed', message: (error as Error).message });
}

port.on('message', async (request: WorkerRequest) => {
  try {
    const faces = await analyzer.analyzeFrame(request.image, request.frameIndex);
    // embeddings that own their whole buffer move to the pool without a copy (Human's do); a view into
    // a buffer an engine may reuse is copied instead
    const owned = new Set<ArrayBuffer>();
    for (const { embedding } of faces) {
      if (embedding && embedding.byteOffset === 0 && embedding.byteLength === embedding.buffer.byteLength) owned.add(embedding.buffer as ArrayBuffer);
    }
    send({ type: 'faces', id: request.id, faces }, [...owned]);
  } catch (error) {
    const { name, message } = error as Error;
    send({
      type: 'error',
      id: request.id,
      error:
        error instanceof ImageError
          ? { name, message, code: error.code, frameIndex: error.frameIndex }
          : { name: name ?? 'Error', message: message ?? String(error) },
    });
  }
});
