// The staff call's words: the kiosk's button and what it tells the customer, and the POS's alert,
// list and setting. Korean first; en.ts hooks in the English object of the same shape.
type Mode = 'large' | 'voice' | 'standard';

export const staffCallKo = {
  kiosk: {
    button: '직원 호출',
    called: '직원을 불렀습니다. 잠시만 기다려 주세요.',
    calledForYou: '도움이 필요하신 것 같아 직원을 불렀습니다. 잠시만 기다려 주세요.',
    coming: '직원이 곧 갑니다. 그 자리에서 조금만 기다려 주세요.',
    failed: '직원을 부르지 못했습니다. 카운터에 말씀해 주세요.',
    /** when no counselor is free (the consultation panel) */
    offer: '지금은 상담원이 모두 상담 중입니다. 매장 직원을 불러 드릴까요?',
    offerButton: '직원 부르기',
  },
  pos: {
    tab: '직원 호출',
    alertTitle: (kiosk: string) => `직원 호출 · ${kiosk}`,
    requested: (mode: string) => `손님이 직원을 불렀습니다${mode ? ` (${mode})` : ''}.`,
    stalled: (mode: string, seconds: number | undefined) =>
      `${mode || '손님'} 손님이 ${seconds ? `${seconds}초 넘게 ` : '한동안 '}주문을 이어 가지 못하고 있습니다.`,
    calledAt: (time: string) => `${time}에 호출`,
    acknowledge: '확인 · 지금 갑니다',
    acknowledging: '알리는 중…',
    modes: { large: '큰 글씨 모드', voice: '음성 안내 모드', standard: '' } satisfies Record<Mode, string>,
    modeNames: { large: '큰 글씨', voice: '음성 안내', standard: '기본' } satisfies Record<Mode, string>,
    reasons: { requested: '직접 호출', stalled: '진행 멈춤' },
    title: '직원 호출',
    intro: '키오스크에서 손님이 직원을 부르거나, 큰 글씨·음성 안내 모드의 손님이 한동안 진행하지 못하면 여기에 남습니다.',
    day: '날짜',
    table: '직원 호출 목록',
    columns: { time: '시각', kiosk: '키오스크', reason: '이유', mode: '모드', status: '확인' },
    open: '확인 전',
    acknowledgedAt: (time: string) => `${time} 확인`,
    none: '이 날의 직원 호출이 없습니다.',
    settingsTitle: '진행 멈춤 알림',
    stallLabel: '알림까지 기다릴 시간 (초)',
    stallHint: '큰 글씨·음성 안내 모드의 손님이 이 시간 동안 장바구니도 화면도 바뀌지 않으면 직원 호출로 알립니다. 30초에서 900초까지, 기본 90초.',
    saved: '저장했습니다.',
  },
};

export const staffCallEn: typeof staffCallKo = {
  kiosk: {
    button: 'Call staff',
    called: 'We have called a member of staff. Please wait a moment.',
    calledForYou: 'You seem to need a hand, so we have called a member of staff. Please wait a moment.',
    coming: 'A member of staff is on the way. Please wait where you are.',
    failed: 'We could not call a member of staff. Please ask at the counter.',
    offer: 'All counselors are busy right now. Shall we call a member of staff?',
    offerButton: 'Call staff',
  },
  pos: {
    tab: 'Staff calls',
    alertTitle: (kiosk: string) => `Staff call · ${kiosk}`,
    requested: (mode: string) => `A customer asked for a member of staff${mode ? ` (${mode})` : ''}.`,
    stalled: (mode: string, seconds: number | undefined) =>
      `A customer${mode ? ` in ${mode}` : ''} has not moved on ${seconds ? `for over ${seconds} seconds` : 'for a while'}.`,
    calledAt: (time: string) => `Called at ${time}`,
    acknowledge: 'Got it · on my way',
    acknowledging: 'Telling the kiosk…',
    modes: { large: 'large-type mode', voice: 'voice mode', standard: '' },
    modeNames: { large: 'Large type', voice: 'Voice', standard: 'Standard' },
    reasons: { requested: 'Asked', stalled: 'No progress' },
    title: 'Staff calls',
    intro: 'A customer who calls for staff at a kiosk, or one in large-type or voice mode who makes no progress for a while, is listed here.',
    day: 'Date',
    table: 'Staff calls',
    columns: { time: 'Time', kiosk: 'Kiosk', reason: 'Reason', mode: 'Mode', status: 'Acknowledged' },
    open: 'Not yet',
    acknowledgedAt: (time: string) => `At ${time}`,
    none: 'No staff calls on this day.',
    settingsTitle: 'No-progress alert',
    stallLabel: 'Alert after (seconds)',
    stallHint:
      'When a customer in large-type or voice mode changes neither the cart nor the screen for this long, the POS gets a staff call. 30 to 900 seconds, 90 by default.',
    saved: 'Saved.',
  },
};
