// Periodic jobs that run once per period across all server instances: each period is a slot, and
// the first instance to take the slot's lock runs it and marks it done. Jobs must be idempotent,
// so that a slot run twice (the cache flushed mid-way) does no harm.
import type { Cache } from '../cache/cache.js';

export interface ScheduledJob {
  name: string;
  everySeconds: number;
  run(): Promise<void>;
}

export class Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly cache: Cache,
    private readonly onError: (job: string, error: unknown) => void,
  ) {}

  start(jobs: ScheduledJob[], checkEverySeconds = 60): void {
    for (const job of jobs) {
      const tick = () => {
        const attempt = this.runSlot(job).catch((error: unknown) => this.onError(job.name, error));
        this.running.add(attempt);
        void attempt.finally(() => this.running.delete(attempt));
      };
      const timer = setInterval(tick, Math.min(checkEverySeconds, job.everySeconds) * 1000);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** runs the job for the current slot unless an instance already did; true when this call ran it */
  async runSlot(job: ScheduledJob, now = Date.now()): Promise<boolean> {
    const slot = Math.floor(now / (job.everySeconds * 1000));
    const doneKey = `job:${job.name}:done:${slot}`;
    if ((await this.cache.get(doneKey)) !== undefined) return false;
    const ran = await this.cache.withLock(`job:${job.name}:${slot}`, Math.max(60, job.everySeconds), async () => {
      if ((await this.cache.get(doneKey)) !== undefined) return false;
      await job.run();
      await this.cache.set(doneKey, '1', job.everySeconds * 2);
      return true;
    });
    return ran === true;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }
}
