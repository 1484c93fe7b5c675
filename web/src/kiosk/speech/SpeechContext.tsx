// The kiosk's voice: one context every kiosk screen can reach. In voice mode ("음성 안내") the kiosk
// reads out what is on the screen; outside it, only what a screen asks to be said even then
// (`always`, e.g. the dining question in large-type mode). The engine behind `say` (the browser's
// voice, or audio from the server's text-to-speech) lives in this folder.
import { createContext, useContext } from 'react';

export interface Speech {
  /** voice mode: screens, focus moves and messages are read aloud */
  voiceMode: boolean;
  setVoiceMode(on: boolean): void;
  /** speak now; by default only in voice mode, and after what is already being said */
  say(text: string, options?: { interrupt?: boolean; always?: boolean }): void;
  /** say the last phrase again ("다시 듣기") */
  repeat(): void;
  /** 0..1 */
  volume: number;
  setVolume(volume: number): void;
  /** 0.5..2, 1 is normal speed */
  rate: number;
  setRate(rate: number): void;
  /** neither the browser nor the server could speak the last phrase */
  unavailable: boolean;
}

const silent: Speech = {
  voiceMode: false,
  setVoiceMode: () => {},
  say: () => {},
  repeat: () => {},
  volume: 1,
  setVolume: () => {},
  rate: 1,
  setRate: () => {},
  unavailable: false,
};

export const SpeechContext = createContext<Speech>(silent);

export function useSpeech(): Speech {
  return useContext(SpeechContext);
}
