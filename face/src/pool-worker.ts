// One worker of the face pool: loads the models once, then analyses one capture at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { ImageError } from './face-analyzer.js';
import { createInProcessAnalyzer, type AnalysisOptions } from './in-process-analyzer.js';
import type { WorkerReply, WorkerRequest } from './pool-protocol.js';

const port = parentPort!;
const analyzer = createInProcessAnalyzer((workerData as { options: AnalysisOptions }).options);
const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

try {
  await analyzer.ready();
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'load_failed', message: (error as Error).message });
}

port.on('message', async (request: WorkerRequest) => {
  try {
    const result = await analyzer.analyze(request.images);
    send({ type: 'result', id: request.id, result }, result.embedding ? [result.embedding.buffer as ArrayBuffer] : []);
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
