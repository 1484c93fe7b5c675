// Passwords are hashed with argon2id (memory-hard). Settings come from config so that the cost
// can follow the hardware; hashes carry their own settings, so old ones keep verifying.
import { availableParallelism } from 'node:os';
import { Algorithm, hash, verify } from '@node-rs/argon2';

export interface Argon2Settings {
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
}

export class PasswordHasher {
  // A hash of a random password, verified against when the account does not exist, so that
  // "no such account" takes as long as "wrong password" and the response time tells nothing.
  private decoyHash: Promise<string> | undefined;

  // At most one hash per core at a time; the rest wait their turn here. Unbounded, a burst of
  // logins fills libuv's thread pool and every core with argon2, and every other request starves.
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly settings: Argon2Settings,
    private readonly maxConcurrent: number = availableParallelism(),
  ) {}

  hash(password: string): Promise<string> {
    return this.inTurn(() =>
      hash(password, {
        algorithm: Algorithm.Argon2id,
        memoryCost: this.settings.memoryKiB,
        timeCost: this.settings.timeCost,
        parallelism: this.settings.parallelism,
      }),
    );
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash === undefined) {
      this.decoyHash ??= this.hash(`decoy-${Math.random()}`);
      const decoy = await this.decoyHash;
      await this.inTurn(() => verify(decoy, password)).catch(() => false);
      return false;
    }
    return this.inTurn(() => verify(passwordHash, password)).catch(() => false);
  }

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      // hand the slot straight to the next in line, or free it
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
