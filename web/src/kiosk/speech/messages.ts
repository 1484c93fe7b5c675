// What the kiosk says in voice mode ("음성 안내") and the words of its voice controls: hooked into the
// dictionaries as `speech`, so a spoken phrase is built from the same catalogue as the screen.
import { particle } from '../../i18n/particles';

/** "1번 아메리카노 4,000원" */
const numbered = (list: string[]) => list.map((each, index) => `${index + 1}번 ${each}`).join(', ');
const numberedEn = (list: string[]) => list.map((each, index) => `${index + 1}: ${each}`).join(', ');

export const speechKo = {
  // the attract screen: spoken to anyone who arrives, so that a customer who cannot see it learns how to start
  arrival: (store: string) => `어서 오세요, ${store}입니다. 음성 안내를 들으시려면 키패드의 아무 키나 누르세요.`,
  greeting: '음성 안내를 시작합니다. 화살표 키로 움직이고, 확인 키로 누릅니다. 숫자 키로 바로 고를 수 있고, 별표 키는 다시 듣기, 물음표 키는 직원 호출입니다.',
  menu: (category: string, categories: string[], items: string[]) =>
    items.length > 0
      ? `메뉴 화면입니다. 메뉴 종류는 ${categories.join(', ')}입니다. 지금은 ${category}: ${numbered(items)}. 숫자 키를 누르면 그 메뉴를 고릅니다.`
      : `메뉴 화면입니다. ${category}에는 지금 주문할 수 있는 메뉴가 없습니다.`,
  item: (name: string, price: string, groups: string[]) =>
    `${name}, ${price}. ${groups.length > 0 ? `${groups.join(' ')} ` : ''}다 고르셨으면 담기 버튼을 누르세요. 뒤로 키를 누르면 닫힙니다.`,
  group: (name: string, required: boolean, options: string[]) => `${name}${required ? ', 필수' : ''}: ${numbered(options)}.`,
  cart: (lines: string[], total: string) => (lines.length > 0 ? `장바구니: ${lines.join(', ')}. 합계 ${total}.` : '장바구니가 비어 있습니다.'),
  cartLine: (name: string, count: number) => `${name} ${count}개`,
  dining: (question: string, choices: string[]) => `${question} ${numbered(choices)}.`,
  checkout: (lines: string[], total: string, methods: string[]) =>
    `주문 확인 화면입니다. ${lines.join(', ')}. 합계 ${total}. 결제 방법을 골라 주세요: ${numbered(methods)}. 고르신 뒤 이대로 주문하기를 누르세요.`,
  receipt: (number: number, method: string, total: string) =>
    `주문이 접수되었습니다. 주문번호는 ${number}번입니다. 결제는 카운터에서 ${method}${particle(method, '으로')} 해 주세요. 합계 ${total}. 다시 들으시려면 별표 키를 누르세요.`,
  idle: (title: string, text: string) => `${title} ${text} 계속하시려면 확인 키를 누르세요.`,
  // the state of a focused control, after its name
  checked: '선택됨',
  notChecked: '선택 안 됨',
  disabled: '누를 수 없음',
  volume: (percent: number) => `소리 크기 ${percent}`,
  rate: (percent: number) => `말 빠르기 ${percent}`,
  // the voice controls
  controls: '음성 안내 조절',
  quieter: '소리 작게',
  louder: '소리 크게',
  slower: '느리게',
  faster: '빠르게',
  repeat: '다시 듣기',
  stop: '음성 안내 끄기',
  unavailable: '지금은 음성을 낼 수 없습니다. 화면을 보고 주문해 주세요.',
};

export const speechEn: typeof speechKo = {
  arrival: (store: string) => `Welcome to ${store}. For spoken guidance, press any key on the keypad.`,
  greeting:
    'Spoken guidance is on. Use the arrow keys to move and the Enter key to press. Number keys choose directly; the star key repeats, and the question mark key calls a member of staff.',
  menu: (category: string, categories: string[], items: string[]) =>
    items.length > 0
      ? `Menu. The kinds of menu are ${categories.join(', ')}. Now showing ${category}: ${numberedEn(items)}. Press a number to choose that item.`
      : `Menu. ${category} has nothing to order right now.`,
  item: (name: string, price: string, groups: string[]) =>
    `${name}, ${price}. ${groups.length > 0 ? `${groups.join(' ')} ` : ''}When you are ready, press the add button. The back key closes this.`,
  group: (name: string, required: boolean, options: string[]) => `${name}${required ? ', required' : ''}: ${numberedEn(options)}.`,
  cart: (lines: string[], total: string) => (lines.length > 0 ? `Cart: ${lines.join(', ')}. Total ${total}.` : 'The cart is empty.'),
  cartLine: (name: string, count: number) => `${count} ${name}`,
  dining: (question: string, choices: string[]) => `${question} ${numberedEn(choices)}.`,
  checkout: (lines: string[], total: string, methods: string[]) =>
    `Check your order. ${lines.join(', ')}. Total ${total}. Choose how to pay: ${numberedEn(methods)}. Then press Place order.`,
  receipt: (number: number, method: string, total: string) =>
    `Your order is in. Your order number is ${number}. Please pay at the counter, by ${method}. Total ${total}. Press the star key to hear this again.`,
  idle: (title: string, text: string) => `${title} ${text} Press Enter to continue.`,
  checked: 'selected',
  notChecked: 'not selected',
  disabled: 'unavailable',
  volume: (percent: number) => `Volume ${percent}`,
  rate: (percent: number) => `Speed ${percent}`,
  controls: 'Spoken guidance',
  quieter: 'Quieter',
  louder: 'Louder',
  slower: 'Slower',
  faster: 'Faster',
  repeat: 'Say again',
  stop: 'Turn off spoken guidance',
  unavailable: 'Speech is not available right now. Please use the screen.',
};
