// The POS kiosk list's word for a kiosk that reported it cannot speak (no voice in its browser and
// the server's text to speech failing): hooked into the dictionaries as `kioskSpeech`.

export const kioskSpeechKo = {
  unavailable: '음성 안내 불가',
  unavailableHint: '이 키오스크는 지금 음성 안내를 할 수 없습니다. 화면 주문은 됩니다. 키오스크의 소리 설정과 서버의 음성 합성(TTS)을 확인해 주세요.',
};

export const kioskSpeechEn: typeof kioskSpeechKo = {
  unavailable: 'Speech unavailable',
  unavailableHint: "This kiosk cannot speak right now; ordering on screen still works. Check the kiosk's sound and the server's text to speech (TTS).",
};
