// One contract for every Storage: a temp folder, and a real S3-protocol server (s3rver) on
// loopback. Both need nothing outside the process, so both run in every mode.
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import S3rver from 's3rver';
import type { Storage } from '../../src/platform/storage/storage.js';
import { LocalStorage } from '../../src/platform/storage/local-storage.js';
import { S3Storage } from '../../src/platform/storage/s3-storage.js';

interface StorageFixture {
  storage: Storage;
  dispose(): Promise<void>;
}

const BAD_KEYS = [
  '',
  '../escape.webp',
  'items/../../escape.webp',
  '..',
  '/etc/passwd',
  'items\\abc.webp',
  'items//abc.webp',
  'items/',
  '.meta/items/abc.webp.json',
  'items/abc webp',
  'x'.repeat(1025),
];

function storageContract(name: string, open: () => Promise<StorageFixture>): void {
  describe(name, () => {
    let fixture: StorageFixture;
    let storage: Storage;

    before(async () => {
      fixture = await open();
      storage = fixture.storage;
    });
    after(() => fixture.dispose());

    it('answers ping', async () => {
      await storage.ping();
    });

    it('gets back the bytes and content type it was given', async () => {
      const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await storage.put('items/abc.webp', everyByte, 'image/webp');
      assert.deepEqual(await storage.get('items/abc.webp'), { body: everyByte, contentType: 'image/webp' });
    });

    it('answers undefined for a missing key, even one that names a folder', async () => {
      assert.equal(await storage.get('items/never-stored.webp'), undefined);
      await storage.put('folder/inside.txt', Buffer.from('x'), 'text/plain');
      assert.equal(await storage.get('folder'), undefined);
    });

    it('overwrites body and content type', async () => {
      await storage.put('items/over.bin', Buffer.from('old'), 'image/png');
      await storage.put('items/over.bin', Buffer.from('new content'), 'image/jpeg');
      assert.deepEqual(await storage.get('items/over.bin'), {
        body: Buffer.from('new content'),
        contentType: 'image/jpeg',
      });
    });

    it('deletes, and deleting a missing key is fine', async () => {
      await storage.put('items/doomed.webp', Buffer.from('bye'), 'image/webp');
      await storage.delete('items/doomed.webp');
      assert.equal(await storage.get('items/doomed.webp'), undefined);
      await storage.delete('items/doomed.webp');
    });

    it('stores an empty object', async () => {
      await storage.put('items/empty.txt', Buffer.alloc(0), 'text/plain');
      assert.deepEqual(await storage.get('items/empty.txt'), { body: Buffer.alloc(0), contentType: 'text/plain' });
    });

    it('rejects keys that could escape the store or mean different things on different backends', async () => {
      for (const key of BAD_KEYS) {
        await assert.rejects(storage.put(key, Buffer.from('x'), 'text/plain'), /invalid storage key/, key);
        await assert.rejects(storage.get(key), /invalid storage key/, key);
        await assert.rejects(storage.delete(key), /invalid storage key/, key);
      }
    });
  });
}

async function makeTempDir(label: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `pinokio-${label}-`));
}

storageContract('LocalStorage', async () => {
  const dir = await makeTempDir('local-storage');
  return { storage: new LocalStorage(dir), dispose: () => fs.rm(dir, { recursive: true, force: true }) };
});

describe('LocalStorage on disk', () => {
  let dir: string;
  let storage: LocalStorage;

  before(async () => {
    dir = await makeTempDir('local-disk');
    storage = new LocalStorage(dir);
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('keeps the raw bytes at the key, so the folder can be served as static files', async () => {
    await storage.put('items/raw.txt', Buffer.from('raw bytes'), 'text/plain');
    assert.equal(await fs.readFile(path.join(dir, 'items/raw.txt'), 'utf8'), 'raw bytes');
  });

  it('leaves no temp files behind', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => storage.put(`items/${i % 3}.bin`, Buffer.from(String(i)), 'text/plain')));
    assert.deepEqual(await fs.readdir(path.join(dir, '.tmp')), []);
  });

  it('reads a file dropped in by hand as application/octet-stream', async () => {
    await fs.writeFile(path.join(dir, 'by-hand.bin'), 'manual');
    assert.deepEqual(await storage.get('by-hand.bin'), {
      body: Buffer.from('manual'),
      contentType: 'application/octet-stream',
    });
  });
});

const S3_BUCKET = 'test-bucket';
let s3Server: { server: S3rver; endpoint: string; dir: string } | undefined;

async function startS3Server(): Promise<{ server: S3rver; endpoint: string; dir: string }> {
  const dir = await makeTempDir('s3rver');
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: dir,
    configureBuckets: [{ name: S3_BUCKET }],
  });
  const { address, port } = await server.run();
  return { server, endpoint: `http://${address}:${port}`, dir };
}

function s3Storage(endpoint: string, bucket = S3_BUCKET): S3Storage {
  // s3rver checks signatures against these fixed credentials.
  return new S3Storage({
    endpoint,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  });
}

describe('S3 storage', () => {
  before(async () => {
    s3Server = await startS3Server();
  });
  after(async () => {
    if (!s3Server) return;
    await s3Server.server.close();
    await fs.rm(s3Server.dir, { recursive: true, force: true });
  });

  storageContract('S3Storage', async () => ({ storage: s3Storage(s3Server!.endpoint), dispose: async () => {} }));

  it('fails ping when the bucket is missing', async () => {
    await assert.rejects(s3Storage(s3Server!.endpoint, 'no-such-bucket').ping());
  });
});
