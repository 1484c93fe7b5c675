// "연습해 보기": the words of practice mode, hooked into the dictionaries as `practice`. The banner is
// a live region, so in voice mode the narrator reads it (and each step's hint) aloud.

export const practiceKo = {
  start: '연습해 보기',
  startHint: '실제로 주문되지 않습니다. 처음부터 끝까지 천천히 해 보세요.',
  banner: '연습 중입니다 · 실제로 주문되지 않습니다',
  steps: {
    menu: '메뉴를 하나 눌러 고르고, 담기를 누른 뒤 주문하기를 눌러 보세요.',
    checkout: '드시고 가실지 가지고 가실지 고르고, 결제 방법을 고른 뒤 이대로 주문하기를 눌러 보세요.',
    receipt: '잘하셨습니다. 실제 주문에서는 여기에 주문번호가 나옵니다. 처음으로를 누르면 연습이 끝납니다.',
  },
  receiptTitle: '연습 영수증',
  receiptNotice: '연습이므로 실제 주문이 아닙니다. 결제하지 않으셔도 됩니다.',
  receiptNumber: '주문번호 자리',
  receiptNumberValue: '연습',
  done: '연습 끝내기 · 처음으로',
};

export const practiceEn: typeof practiceKo = {
  start: 'Practice ordering',
  startHint: 'Nothing is really ordered. Try it from start to end, at your own pace.',
  banner: 'Practice mode · Nothing is really ordered',
  steps: {
    menu: 'Tap an item, then Add, then Order.',
    checkout: 'Choose eat in or take out and a way to pay, then tap Place order.',
    receipt: 'Well done. In a real order your order number appears here. Tap Start over to end the practice.',
  },
  receiptTitle: 'Practice receipt',
  receiptNotice: 'This was practice, not a real order. There is nothing to pay.',
  receiptNumber: 'Order number goes here',
  receiptNumberValue: 'Practice',
  done: 'End practice · Start over',
};
