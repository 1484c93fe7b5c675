// Passwords are hashed with argon2id (memory-hard). Settings come from config so that the cost
// can follow the hardware; hashes carry their own settings, so old ones keep verifying.
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

  constructor(private readonly settings: Argon2Settings) {}

  hash(password: string): Promise<string> {
    return hash(password, {
      algorithm: Algorithm.Argon2id,
      memoryCost: this.settings.memoryKiB,
      timeCost: this.settings.timeCost,
      parallelism: this.settings.parallelism,
    });
  }

  async verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    if (passwordHash === undefined) {
      this.decoyHash ??= this.hash(`decoy-${Math.random()}`);
      await verify(await this.decoyHash, password).catch(() => false);
      return false;
    }
    return verify(passwordHash, password).catch(() => false);
  }
}
