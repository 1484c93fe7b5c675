// Voice mode's parts that have no screen of their own: the narrator, the keypad, the greeting to a
// customer the device sees arriving, and voice mode ending with the customer's session.
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n';
import { useKeypad } from '../keypad/useKeypad';
import { useSpeech } from './SpeechContext';
import { useNarration } from './SpeechProvider';
import { useNarrator } from './useNarrator';
import './speech.css';

interface Props {
  storeId?: string | undefined;
  kioskId?: string | undefined;
  storeName?: string | undefined;
  /** the kiosk's screen: back on 'start' after an order, voice mode ends for the next customer */
  screen: string;
  /** the device reports someone standing at the attract screen */
  arrived: boolean;
}

export function VoiceKiosk({ storeId, kioskId, storeName, screen, arrived }: Props) {
  const { t } = useI18n();
  const speech = useSpeech();
  const narration = useNarration();
  narration.setDevice(storeId, kioskId);
  useNarrator();
  useKeypad({ attract: screen === 'start' });

  const previous = useRef(screen);
  const { setVoiceMode } = speech;
  useEffect(() => {
    if (previous.current !== 'start' && screen === 'start') setVoiceMode(false);
    previous.current = screen;
  }, [screen, setVoiceMode]);

  // someone arrives: told, aloud, how to get spoken guidance (before voice mode, so always)
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on arrival, not on every change of language or mode
  useEffect(() => {
    if (arrived && storeName && !speech.voiceMode) narration.speak(t.speech.arrival(storeName), { kind: 'greeting', interrupt: 'hard', always: true });
  }, [arrived]);

  return null;
}
