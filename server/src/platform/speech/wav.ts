// The few WAV facts the speech code needs: wrapping raw 16-bit PCM in a RIFF header (a cloud voice
// may answer bare samples) and reading one back (the tests and benches check real speech with it).

export interface DecodedWav {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 16-bit samples, channels interleaved */
  samples: Int16Array;
  durationSeconds: number;
}

/** a mono 16-bit PCM WAV file around the samples */
export function wavFromPcm(pcm: Buffer, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16); // PCM format chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

export function isWav(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WAVE';
}

/** reads a 16-bit PCM WAV file chunk by chunk; throws on anything else */
export function parseWav(bytes: Buffer): DecodedWav {
  if (!isWav(bytes)) throw new Error('not a RIFF/WAVE file');
  let offset = 12;
  let format: { audioFormat: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        audioFormat: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format) throw new Error('data chunk before the fmt chunk');
      if (format.audioFormat !== 1 || format.bitsPerSample !== 16) throw new Error('not 16-bit PCM');
      // a streamed file may carry a placeholder size: take what is there
      const end = Math.min(bytes.length, body + size);
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(body + i * 2);
      return {
        sampleRate: format.sampleRate,
        channels: format.channels,
        bitsPerSample: format.bitsPerSample,
        samples,
        durationSeconds: count / format.channels / format.sampleRate,
      };
    }
    offset = body + size + (size % 2); // chunks are padded to an even size
  }
  throw new Error('no data chunk');
}

/** root mean square of the samples, from 0 (silence) to 1 (full scale) */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const sample of samples) sum += (sample / 32768) ** 2;
  return Math.sqrt(sum / samples.length);
}
