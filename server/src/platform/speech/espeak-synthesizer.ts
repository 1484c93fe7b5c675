// The embedded speech engine: eSpeak NG, run in a few child processes of its own (espeak-process.ts)
// so that synthesis never holds the event loop, and so that the GPL program stays a separate program
// beside the server (THIRD-PARTY-NOTICES.md). At most `workers` phrases are synthesized at once;
// the others wait in a bounded queue, and a phrase not done within the time limit fails (its process
// is killed and another starts). Processes start on the first phrase, not with the server.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EspeakJob, EspeakReply } from './espeak-process.js';
import { SpeechSynthesisError, type SpeechLang, type SpeechRequest, type SpeechSynthesizer, type SynthesizedSpeech } from './speech-synthesizer.js';

export interface EspeakSettings {
  /** child processes synthesizing at once */
  workers: number;
  /** phrases that may wait for a process; more are refused as busy */
  queueLimit: number;
  /** from the request to its audio, queue included */
  timeoutMs: number;
}

const VOICES: Record<SpeechLang, string> = { ko: 'ko', en: 'en-us' };
/** eSpeak NG's usual speed (words per minute) and the bounds it accepts */
const NORMAL_WPM = 175;
const MIN_WPM = 80;
const MAX_WPM = 450;

// The process is compiled JavaScript in dist/; under tsx (running from src/) it is the .ts sibling.
const fromSource = import.meta.url.endsWith('.ts');
const processFile = fileURLToPath(new URL(fromSource ? './espeak-process.ts' : './espeak-process.js', import.meta.url));

interface Job {
  id: number;
  text: string;
  voice: string;
  wordsPerMinute: number;
  resolve(result: { wav: Buffer; cpuMicros: number }): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  worker?: Worker;
}

interface Worker {
  child: ChildProcess;
  job?: Job;
  /** its next WebAssembly instance is prepared: a phrase given to it starts at once */
  ready: boolean;
  /** recent standard error, for the log line of a failure */
  stderr: string;
}

export class EspeakSynthesizer implements SpeechSynthesizer {
  private readonly workers = new Set<Worker>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** CPU time of the engine processes per phrase, for the bench */
  readonly stats = { phrases: 0, cpuMicros: 0 };

  constructor(private readonly settings: EspeakSettings) {}

  voiceOf(lang: SpeechLang): string {
    return `espeak-ng:${VOICES[lang]}`;
  }

  async synthesize(request: SpeechRequest): Promise<SynthesizedSpeech> {
    const wordsPerMinute = Math.round(Math.min(MAX_WPM, Math.max(MIN_WPM, NORMAL_WPM * request.rate)));
    const { wav, cpuMicros } = await this.enqueue(request.text, VOICES[request.lang], wordsPerMinute);
    this.stats.phrases += 1;
    this.stats.cpuMicros += cpuMicros;
    return { audio: wav, contentType: 'audio/wav' };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.fail(job, new SpeechSynthesisError('failed', 'the speech engine is shutting down'));
    for (const worker of this.workers) {
      if (worker.job) this.fail(worker.job, new SpeechSynthesisError('failed', 'the speech engine is shutting down'));
      worker.child.kill('SIGKILL');
    }
    this.workers.clear();
  }

  private enqueue(text: string, voice: string, wordsPerMinute: number): Promise<{ wav: Buffer; cpuMicros: number }> {
    if (this.closed) return Promise.reject(new SpeechSynthesisError('failed', 'the speech engine is closed'));
    if (this.queue.length >= this.settings.queueLimit) {
      return Promise.reject(new SpeechSynthesisError('busy', `${this.queue.length} phrases are already waiting`));
    }
    return new Promise((resolve, reject) => {
      const job: Job = { id: this.nextId++, text, voice, wordsPerMinute, resolve, reject, timer: undefined as unknown as NodeJS.Timeout };
      job.timer = setTimeout(() => this.timeOut(job), this.settings.timeoutMs);
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** gives waiting jobs to idle processes, starting processes up to the limit */
  private dispatch(): void {
    while (this.queue.length > 0) {
      // only a process that said it is ready takes a phrase: one still starting (about 2 s) would
      // hold it while a busy one is free again within milliseconds
      const worker = [...this.workers].find((candidate) => candidate.ready && !candidate.job);
      if (!worker) {
        const starting = [...this.workers].some((candidate) => !candidate.ready && !candidate.job);
        if (!starting && this.workers.size < this.settings.workers) this.start();
        return;
      }
      const job = this.queue.shift()!;
      job.worker = worker;
      worker.job = job;
      worker.ready = false;
      const message: EspeakJob = { id: job.id, text: job.text, voice: job.voice, wordsPerMinute: job.wordsPerMinute };
      worker.child.send(message);
    }
  }

  private start(): Worker {
    const child = fork(processFile, [], {
      // under tsx the process needs tsx's loader too; nothing else of the server's flags
      execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [],
      serialization: 'advanced', // the WAV comes back as bytes, not as JSON
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const worker: Worker = { child, stderr: '', ready: false };
    this.workers.add(worker);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      worker.stderr = (worker.stderr + chunk).slice(-2000);
    });
    child.on('message', (reply: EspeakReply) => {
      if ('ready' in reply) {
        worker.ready = true;
        this.dispatch();
        return;
      }
      const job = worker.job;
      if (!job || job.id !== reply.id) return;
      worker.job = undefined;
      clearTimeout(job.timer);
      if (reply.ok) job.resolve({ wav: Buffer.from(reply.wav.buffer, reply.wav.byteOffset, reply.wav.byteLength), cpuMicros: reply.cpuMicros });
      else job.reject(new SpeechSynthesisError('failed', `eSpeak NG failed: ${reply.message}`));
      // the process says it is ready again right after its answer, and takes the next phrase then
    });
    const gone = (reason: string) => {
      if (!this.workers.delete(worker)) return;
      if (worker.job)
        this.fail(worker.job, new SpeechSynthesisError('failed', `the speech process ${reason}${worker.stderr ? `: ${worker.stderr.trim()}` : ''}`));
      worker.job = undefined;
      if (!this.closed) this.dispatch();
    };
    child.on('exit', (code, signal) => gone(`ended (${signal ?? code})`));
    child.on('error', (error) => {
      gone(`could not run (${error.message})`);
      child.kill('SIGKILL');
    });
    // an idle engine must not keep the server's process alive
    child.unref();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    return worker;
  }

  private timeOut(job: Job): void {
    const waiting = this.queue.indexOf(job);
    if (waiting >= 0) this.queue.splice(waiting, 1);
    const worker = job.worker;
    if (worker?.job === job) {
      // a stuck synthesis: its process goes, another starts for the next phrase
      worker.job = undefined;
      this.workers.delete(worker);
      worker.child.kill('SIGKILL');
    }
    job.reject(new SpeechSynthesisError('timeout', `no audio within ${this.settings.timeoutMs} ms`));
    this.dispatch();
  }

  private fail(job: Job, error: Error): void {
    clearTimeout(job.timer);
    job.reject(error);
  }
}
