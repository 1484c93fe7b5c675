// Figure 2: end to end, from a device's frames arriving over gRPC to the `analysis` event on that
// kiosk's live stream (SSE). The server runs in a child process of its own (support/serve-app.ts,
// embedded database, FACE_WORKERS face workers); the device (the real gRPC client on
// proto/kiosk.proto) and the screen (an SSE reader) run here. 640x480 JPEG frames of real faces.
//   node --import tsx device-analysis.bench.ts        (BENCH_CAPTURES: measured captures per row, 30)
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { DeviceClient } from '../server/test/support/device-client.js';
import { openLive } from '../server/test/support/live-events.js';
import { serveApp } from './support/child.js';
import { fixture } from './support/face.js';
import { fmt, machine, quantile } from './support/measure.js';
import { signUpOwner } from './support/owner.js';
import { storeIdOf } from './support/store.js';
import { printTable } from './support/table.js';

const CAPTURES = Number(process.env.BENCH_CAPTURES ?? 30);
const WARMUP = 3;
const PHOTOS = ['woman_frame_a.jpg', 'bearded_man.jpg', 'astronaut.png', 'woman_frame_b.jpg'];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function json(url: string, method: string, route: string, token: string | undefined, body?: unknown): Promise<any> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

interface Row {
  workers: number;
  frames: number;
  p50: number;
  p95: number;
  ackP50: number;
}

async function measure(workers: number, frameCounts: number[], photos: Buffer[][]): Promise<Row[]> {
  const devicePort = await freePort();
  const server = await serveApp('app', {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'memory://',
    DATA_DIR: path.join(os.tmpdir(), `pinokio-bench-devices-${process.pid}`),
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    DEVICE_GRPC_PORT: String(devicePort),
    FACE_WORKERS: String(workers),
  });
  const device: { client?: DeviceClient } = {};
  try {
    const owner = await signUpOwner(server.url, server.brandCode);
    const storeId = await storeIdOf(server.url, owner.accessToken);
    const provisioned = await json(server.url, 'POST', `/api/stores/${storeId}/kiosks`, owner.accessToken, { name: 'Bench kiosk' });
    const login = await json(server.url, 'POST', '/api/auth/kiosk-login', undefined, provisioned.credentials);
    const analysedAt = new Map<string, number>();
    const waiting = new Map<string, (at: number) => void>();
    // the time each analysis event is read, by analysisId (the event may beat the gRPC answer)
    const screen = await openLive(`${server.url}/api/stores/${storeId}/kiosks/${login.kioskId}/live`, {
      token: login.accessToken,
      onEvent: (event) => {
        if (event.event !== 'analysis') return;
        const at = performance.now();
        analysedAt.set(event.data.analysisId, at);
        waiting.get(event.data.analysisId)?.(at);
      },
    });
    device.client = new DeviceClient(`127.0.0.1:${devicePort}`, provisioned.credentials);
    const client = device.client;
    const capture = async (frames: number, round: number) => {
      // one person per capture, as a kiosk sees them: frames of one face that must agree (the decision rule)
      const person = photos[round % photos.length]!;
      const images = Array.from({ length: frames }, (_, i) => person[i % person.length]!);
      const t0 = performance.now();
      const ack = await client.sendFrames(images);
      const ackAt = performance.now();
      if (!ack.faceFound) throw new Error('no face in a bench capture');
      const at = analysedAt.get(ack.analysisId) ?? (await new Promise<number>((resolve) => waiting.set(ack.analysisId, resolve)));
      return { total: at - t0, ack: ackAt - t0 };
    };
    for (let i = 0; i < WARMUP; i++) await capture(3, i);
    const rows: Row[] = [];
    for (const frames of frameCounts) {
      const totals: number[] = [];
      const acks: number[] = [];
      for (let i = 0; i < CAPTURES; i++) {
        const { total, ack } = await capture(frames, i);
        totals.push(total);
        acks.push(ack);
      }
      totals.sort((a, b) => a - b);
      acks.sort((a, b) => a - b);
      rows.push({ workers, frames, p50: quantile(totals, 0.5), p95: quantile(totals, 0.95), ackP50: quantile(acks, 0.5) });
    }
    screen.close();
    return rows;
  } finally {
    device.client?.close();
    await server.stop();
  }
}

// each photo as three frames a few pixels apart (a person standing still in front of the camera)
const photos = await Promise.all(
  PHOTOS.map((name) =>
    Promise.all(
      [0, 1, 2].map((shift) =>
        sharp(fixture(name))
          .resize(672, 504, { fit: 'cover' })
          .extract({ left: 8 * shift, top: 6 * shift, width: 640, height: 480 })
          .jpeg({ quality: 85 })
          .toBuffer(),
      ),
    ),
  ),
);
const rows = [...(await measure(1, [1, 3], photos)), ...(await measure(2, [3], photos))];
console.log(`\nDevice frames over gRPC -> \`analysis\` event on the kiosk's live stream (${CAPTURES} captures per row, 640x480 JPEG, one capture at a time)`);
console.log(machine());
printTable(
  ['face workers', 'frames per capture', 'gRPC -> analysis event p50', 'p95', 'FramesAck p50'],
  rows.map((row) => [row.workers, row.frames, fmt.ms(row.p50), fmt.ms(row.p95), fmt.ms(row.ackP50)]),
);
