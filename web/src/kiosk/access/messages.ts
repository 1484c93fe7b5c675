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
  /** the POS kiosk list: where the screen is, for the low-position layout */
  pos: {
    place: '화면 위치',
    notSet: '재지 않음 (화면 아래 45 %를 씁니다)',
    reach: (height: number, bottom: number, percent: number) => `세로 ${height} cm, 바닥에서 ${bottom} cm: 화면 아래 ${percent} %에 손이 닿아요`,
    edit: '화면 위치 설정',
    title: (name: string) => `${name}: 화면 위치`,
    intro: '낮은 화면 모드는 휠체어에 앉은 손님의 손이 닿는 곳(바닥에서 120 cm 아래)에 모든 버튼을 놓습니다. 줄자로 재서 넣어 주세요.',
    height: '화면 세로 길이 (cm)',
    heightHint: '화면에서 보이는 부분의 위아래 길이',
    bottom: '화면 아래 끝의 높이 (cm)',
    bottomHint: '바닥에서 화면 아래 끝까지',
    save: '저장',
    clear: '값 지우기',
    saved: (name: string) => `${name}의 화면 위치를 저장했습니다.`,
    invalid: '10 ~ 300 cm (세로), 0 ~ 250 cm (높이) 사이의 정수로 넣어 주세요.',
    errors: {
      screen_out_of_reach: '화면이 너무 높이 달려 있습니다. 바닥에서 120 cm 아래에 화면이 20 cm 이상 있어야 합니다.',
      screen_mounting_incomplete: '세로 길이와 높이를 둘 다 넣어 주세요.',
    },
  },
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
  pos: {
    place: 'Screen position',
    notSet: 'Not measured (the lower 45 % of the screen is used)',
    reach: (height: number, bottom: number, percent: number) => `${height} cm tall, ${bottom} cm above the floor: the lower ${percent} % is within reach`,
    edit: 'Set screen position',
    title: (name: string) => `${name}: screen position`,
    intro:
      'The lower-screen mode puts every button where a customer in a wheelchair can reach (below 120 cm from the floor). Measure with a tape and enter the numbers.',
    height: 'Screen height (cm)',
    heightHint: 'From the top to the bottom of the visible screen',
    bottom: 'Height of the screen’s bottom edge (cm)',
    bottomHint: 'From the floor to the bottom edge of the screen',
    save: 'Save',
    clear: 'Clear the values',
    saved: (name: string) => `Saved the screen position of ${name}.`,
    invalid: 'Enter whole numbers: 10 to 300 cm (height), 0 to 250 cm (bottom edge).',
    errors: {
      screen_out_of_reach: 'The screen is mounted too high: at least 20 cm of it must be below 120 cm from the floor.',
      screen_mounting_incomplete: 'Enter both the height and the bottom edge.',
    },
  },
};
