// The embedded speech engine's own process: eSpeak NG (GPL-3.0-or-later, the npm package espeak-ng:
// the espeak-ng command compiled to WebAssembly, its voice data inside) run as a separate program.
// The server talks to it only over the IPC channel of child_process.fork, as it would to the
// espeak-ng command: a job holds the command's arguments, the answer is the WAV file it wrote.
//
// Each run gets a fresh WebAssembly instance (the command's main() keeps state between runs), and
// the next one is instantiated while the process waits for its next job: instantiating takes about
// 100 ms, the synthesis itself 10 to 50 ms for a phrase.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ESpeakNg, { type EspeakModule } from 'espeak-ng';

export interface EspeakJob {
  id: number;
  text: string;
  /** an eSpeak NG voice name: 'ko', 'en-us' */
  voice: string;
  wordsPerMinute: number;
}

export type EspeakReply =
  | { id: number; ok: true; wav: Uint8Array; cpuMicros: number }
  | { id: number; ok: false; message: string; cpuMicros: number }
  | { ready: true };

interface Engine {
  module: EspeakModule;
  exports: { malloc(size: number): number; __main_argc_argv(argc: number, argv: number): number };
  /** CPU time its instantiation took, charged to the job that uses it */
  cpuMicros: number;
}

const send = (reply: EspeakReply) => process.send?.(reply);
const cpuMicros = () => {
  const used = process.cpuUsage();
  return used.user + used.system;
};

// jobs are taken one at a time, in order, once the engine is loaded; the handler is in place
// before anything is awaited, so a job sent at once is not lost
let loaded: () => void = () => {};
let queue = new Promise<void>((resolve) => {
  loaded = resolve;
});
let spare: Promise<Engine> | undefined;
process.on('message', (job: EspeakJob) => {
  queue = queue.then(() => run(job));
});
// the server went away: nothing is left to do
process.on('disconnect', () => process.exit(0));

const wasmFile = fileURLToPath(new URL('espeak-ng.wasm', import.meta.resolve('espeak-ng')));
const compiled = await WebAssembly.compile(readFileSync(wasmFile));

async function prepare(): Promise<Engine> {
  const started = cpuMicros();
  let instance: WebAssembly.Instance | undefined;
  const module = await ESpeakNg({
    noInitialRun: true,
    print: () => {},
    printErr: () => {},
    instantiateWasm: (imports, done) => {
      void WebAssembly.instantiate(compiled, imports).then((created) => {
        instance = created;
        done(created, compiled);
      });
      return {};
    },
  });
  if (!instance) throw new Error('eSpeak NG did not instantiate');
  return { module, exports: instance.exports as unknown as Engine['exports'], cpuMicros: cpuMicros() - started };
}

/** calls the command's main() with its arguments, as a shell would */
function main(engine: Engine, args: string[]): number {
  const { module, exports } = engine;
  const encoder = new TextEncoder();
  const pointers = args.map((arg) => {
    const bytes = encoder.encode(`${arg}\0`);
    const pointer = exports.malloc(bytes.length);
    module.HEAPU8.set(bytes, pointer);
    return pointer;
  });
  const argv = exports.malloc(4 * (pointers.length + 1));
  pointers.forEach((pointer, index) => {
    module.HEAPU32[(argv >> 2) + index] = pointer;
  });
  module.HEAPU32[(argv >> 2) + pointers.length] = 0;
  return exports.__main_argc_argv(args.length, argv);
}

async function run(job: EspeakJob): Promise<void> {
  const started = cpuMicros();
  let charged = 0;
  try {
    const engine = await spare!;
    charged = engine.cpuMicros;
    // the text goes in a file, never on the command line, so no text can be read as an option
    engine.module.FS.writeFile('/text.txt', job.text);
    const status = main(engine, ['espeak-ng', '-b', '1', '-v', job.voice, '-s', String(job.wordsPerMinute), '-f', '/text.txt', '-w', '/speech.wav']);
    if (status !== 0) throw new Error(`espeak-ng exited with ${status}`);
    const wav = engine.module.FS.readFile('/speech.wav');
    send({ id: job.id, ok: true, wav, cpuMicros: charged + cpuMicros() - started });
  } catch (error) {
    send({ id: job.id, ok: false, message: error instanceof Error ? error.message : String(error), cpuMicros: charged + cpuMicros() - started });
  } finally {
    spare = prepare();
    // an instantiation that fails shows on the next job
    spare.catch(() => undefined);
  }
}

spare = prepare();
await spare.catch(() => undefined);
loaded();
send({ ready: true });
