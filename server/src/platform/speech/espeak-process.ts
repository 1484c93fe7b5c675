// The embedded speech engine's own process: eSpeak NG (GPL-3.0-or-later, the npm package espeak-ng:
// the espeak-ng command compiled to WebAssembly, its voice data inside) run as a separate program.
// The server talks to it only over the IPC channel of child_process.fork, as it would to the
// espeak-ng command: a job holds the command's arguments, the answer is the WAV file it wrote.
//
// The command's main() keeps state between runs (its options, its voice), so each run starts from
// the memory the instance had before its first run: a copy taken once and written back before
// every run (32 MiB, a few ms), which gives the same bytes as a fresh instance. Instantiating one
// costs about 100 ms of CPU (its 18 MB of voice data are copied twice), a phrase 5 to 30 ms. After
// a failure, and every RENEW_AFTER runs for good measure, a fresh instance is made.
/// <reference path="./espeak-ng.d.ts" />
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
  exports: {
    malloc(size: number): number;
    __main_argc_argv(argc: number, argv: number): number;
    stackSave(): number;
    stackRestore(pointer: number): void;
  };
  /** the memory and stack pointer before the first run */
  memory: Uint8Array;
  stackPointer: number;
  /** CPU time its instantiation took, charged to its first run */
  cpuMicros: number;
  runs: number;
}

const RENEW_AFTER = 1000;

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
let engine: Promise<Engine> | undefined;
process.on('message', (job: EspeakJob) => {
  queue = queue.then(() => run(job));
});
// the server went away: nothing is left to do
process.on('disconnect', () => process.exit(0));

const wasmFile = fileURLToPath(new URL('espeak-ng.wasm', import.meta.resolve('espeak-ng')));
const compiled = await WebAssembly.compile(readFileSync(wasmFile));

async function instantiate(): Promise<Engine> {
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
  const exports = instance.exports as unknown as Engine['exports'];
  return { module, exports, memory: module.HEAPU8.slice(), stackPointer: exports.stackSave(), cpuMicros: cpuMicros() - started, runs: 0 };
}

/** the instance as it was before its first run */
function rewind(current: Engine): void {
  const heap = current.module.HEAPU8;
  heap.set(current.memory);
  if (heap.length > current.memory.length) heap.fill(0, current.memory.length); // memory grown by a run
  current.exports.stackRestore(current.stackPointer);
}

/** calls the command's main() with its arguments, as a shell would */
function main(current: Engine, args: string[]): number {
  const { module, exports } = current;
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
  let renew = false;
  try {
    const current = await engine!;
    if (current.runs === 0) charged = current.cpuMicros;
    current.runs += 1;
    renew = current.runs >= RENEW_AFTER;
    rewind(current);
    // the text goes in a file, never on the command line, so no text can be read as an option
    current.module.FS.writeFile('/text.txt', job.text);
    const status = main(current, ['espeak-ng', '-b', '1', '-v', job.voice, '-s', String(job.wordsPerMinute), '-f', '/text.txt', '-w', '/speech.wav']);
    if (status !== 0) throw new Error(`espeak-ng exited with ${status}`);
    const wav = current.module.FS.readFile('/speech.wav');
    current.module.FS.unlink('/speech.wav');
    send({ id: job.id, ok: true, wav, cpuMicros: charged + cpuMicros() - started });
  } catch (error) {
    renew = true;
    // an exit() inside the program sets the exit code of this process: it is not ending
    process.exitCode = 0;
    send({ id: job.id, ok: false, message: error instanceof Error ? error.message : String(error), cpuMicros: charged + cpuMicros() - started });
  }
  if (renew) {
    engine = instantiate();
    // a failed instantiation shows on the next job
    await engine.catch(() => undefined);
  }
  send({ ready: true });
}

engine = instantiate();
await engine.catch(() => undefined);
loaded();
send({ ready: true });
