// Short sounds made with Web Audio (no files): the kiosk's idle-warning beep, the POS's chime
// for a new order and its staff-call alert. Browsers start audio only after a user gesture, so the
// first touch or key press on a page unlocks it; before that a sound is silently skipped.

let context: AudioContext | undefined;
let unlockInstalled = false;

function audio(): AudioContext | undefined {
  if (context) return context;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return undefined;
  try {
    context = new Ctor();
  } catch {
    return undefined;
  }
  return context;
}

/** creates (or resumes) the audio context on the first gesture, once per page */
export function installAudioUnlock(): void {
  if (unlockInstalled) return;
  unlockInstalled = true;
  const unlock = () => {
    const ctx = audio();
    if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  };
  window.addEventListener('pointerdown', unlock, { capture: true, passive: true });
  window.addEventListener('keydown', unlock, { capture: true, passive: true });
}

function tone(ctx: AudioContext, frequency: number, startAt: number, seconds: number, volume: number): void {
  const oscillator = ctx.createOscillator();
  const gain = ctx.createGain();
  oscillator.type = 'sine';
  oscillator.frequency.value = frequency;
  // a soft attack and release: no clicks
  gain.gain.setValueAtTime(0.0001, startAt);
  gain.gain.exponentialRampToValueAtTime(volume, startAt + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, startAt + seconds);
  oscillator.connect(gain).connect(ctx.destination);
  oscillator.start(startAt);
  oscillator.stop(startAt + seconds + 0.05);
}

declare global {
  interface Window {
    /** the sounds actually played (not skipped before the first gesture), for the browser tests */
    __pinokioSounds?: ReadonlyArray<{ name: string; at: number }>;
  }
}
const played: Array<{ name: string; at: number }> = [];

function play(name: string, notes: Array<{ frequency: number; delay: number; seconds: number }>, volume: number): void {
  try {
    const ctx = audio();
    if (ctx?.state !== 'running') return;
    for (const note of notes) tone(ctx, note.frequency, ctx.currentTime + note.delay, note.seconds, volume);
    played.push({ name, at: Date.now() });
    if (played.length > 100) played.shift();
    window.__pinokioSounds = Object.freeze(played.slice());
  } catch {
    // no sound is no reason to fail
  }
}

/** the kiosk's "are you still there?" beep: two short, clear tones */
export function beep(): void {
  play(
    'beep',
    [
      { frequency: 880, delay: 0, seconds: 0.18 },
      { frequency: 880, delay: 0.28, seconds: 0.18 },
    ],
    0.35,
  );
}

/** the POS's soft chime for a new order: a rising pair */
export function chime(): void {
  play(
    'chime',
    [
      { frequency: 660, delay: 0, seconds: 0.35 },
      { frequency: 990, delay: 0.18, seconds: 0.5 },
    ],
    0.18,
  );
}

/** the POS's staff-call alert: louder than the order chime, three falling-rising notes a busy counter hears */
export function staffCallAlert(): void {
  play(
    'staff-call',
    [
      { frequency: 988, delay: 0, seconds: 0.22 },
      { frequency: 784, delay: 0.26, seconds: 0.22 },
      { frequency: 988, delay: 0.52, seconds: 0.4 },
    ],
    0.4,
  );
}
