// Short sounds made with Web Audio (no files): the kiosk's idle-warning beep and the POS's chime
// for a new order. Browsers start audio only after a user gesture, so the first touch or key
// press on a page unlocks it; before that a sound is silently skipped.

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

function play(notes: Array<{ frequency: number; delay: number; seconds: number }>, volume: number): void {
  try {
    const ctx = audio();
    if (ctx?.state !== 'running') return;
    for (const note of notes) tone(ctx, note.frequency, ctx.currentTime + note.delay, note.seconds, volume);
  } catch {
    // no sound is no reason to fail
  }
}

/** the kiosk's "are you still there?" beep: two short, clear tones */
export function beep(): void {
  play(
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
    [
      { frequency: 660, delay: 0, seconds: 0.35 },
      { frequency: 990, delay: 0.18, seconds: 0.5 },
    ],
    0.18,
  );
}
