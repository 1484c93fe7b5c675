// The words of the kiosk's control bar, its large and high-contrast modes, the low-position layout
// and the first screen's "큰 글씨 / 음성 안내" choice: hooked into the dictionaries as `access`.

export const accessKo = {
  /** the control bar at the bottom of every kiosk screen */
  controls: '화면 조절',
  /** toggles (aria-pressed says whether they are on) */
  contrast: '고대비',
  low: '낮은 화면',
  /** the low-position layout's upper part, which holds nothing to press */
  lowNotice: '모든 버튼이 화면 아래쪽에 있어요',
  /** the first screen: offered to everyone, never switched on by itself */
  choiceTitle: '큰 글씨 / 음성 안내',
  large: '큰 글씨 모드',
  largeHint: '글씨와 버튼을 두 배로',
  voice: '음성 안내',
  voiceHint: '화면을 소리로 읽어 드려요',
  /** the senior offer after the face analysis: the voice choice beside large type */
  offerVoice: '음성 안내로 주문하기',
  /** the receipt waits this long; the same warning as the menu comes first */
  receiptIdleTitle: '처음 화면으로 돌아갈까요?',
  receiptIdleText: '아무것도 누르지 않으면 곧 처음 화면으로 돌아갑니다. 영수증을 더 보시려면 계속하기를 누르세요.',
};

export const accessEn: typeof accessKo = {
  controls: 'Screen settings',
  contrast: 'High contrast',
  low: 'Lower screen',
  lowNotice: 'Every button is at the bottom of the screen',
  choiceTitle: 'Large type / Spoken guidance',
  large: 'Large type',
  largeHint: 'Text and buttons twice as big',
  voice: 'Spoken guidance',
  voiceHint: 'The screen read aloud',
  offerVoice: 'Order with spoken guidance',
  receiptIdleTitle: 'Back to the start?',
  receiptIdleText: 'The kiosk goes back to the start soon if nothing is pressed. To keep the receipt on screen, press Continue.',
};
