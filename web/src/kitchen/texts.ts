// Words of the kitchen display and the pickup board, Korean first (the screens' own dictionary:
// they share nothing else with the rest of the app's pages).
import { useI18n } from '../i18n';

const ko = {
  kitchenTitle: '주방 화면',
  pickupTitle: '픽업 안내 화면',
  signInTitle: (screen: string) => `${screen} 로그인`,
  signInHint: 'POS의 키오스크 목록에서 이 화면을 추가할 때 받은 로그인 ID와 비밀 키를 입력하세요. 점주님 계정으로 로그인되어 있으면 바로 열립니다.',
  loginId: '로그인 ID',
  secret: '비밀 키',
  signIn: '로그인',
  signingIn: '로그인하는 중…',
  invalid: '로그인 ID 또는 비밀 키가 맞지 않습니다.',
  required: '로그인 ID와 비밀 키를 모두 입력하세요.',
  live: '실시간 연결됨',
  connecting: '연결하는 중…',
  lost: '연결이 끊겼습니다. 다시 연결하는 중…',
  stages: { placed: '신규', preparing: '준비 중', ready: '준비 완료' } as Record<string, string>,
  bumpTo: { placed: '준비 시작', preparing: '준비 완료', ready: '픽업 완료' } as Record<string, string>,
  bumpLabel: (number: number, action: string) => `${number}번 주문 ${action}`,
  eatIn: '매장',
  takeOut: '포장',
  diningUnknown: '',
  ageMinutes: (minutes: number) => (minutes < 1 ? '방금' : `${minutes}분 전`),
  late: '지연',
  empty: '주문이 없습니다',
  orderNumber: (number: number) => `${number}번`,
  note: '요청',
  alreadyBumped: (number: number, stage: string) => `${number}번 주문은 다른 화면에서 이미 '${stage}' 상태로 바뀌었습니다.`,
  allStations: '모든 스테이션',
  station: '스테이션',
  logout: '로그아웃',
  preparingColumn: '준비 중',
  readyColumn: '준비 완료',
  call: (number: number) => `${number}번 고객님, 주문하신 메뉴가 나왔습니다`,
  soundHint: '화면을 한 번 누르면 호출 소리가 켜집니다.',
  pickedUp: '픽업 완료',
  picked: '찾아감',
  unpaid: '미결제',
  unpaidLabel: '아직 결제하지 않은 주문',
} as const;

type Texts = {
  [K in keyof typeof ko]: (typeof ko)[K] extends (...args: infer A) => string
    ? (...args: A) => string
    : (typeof ko)[K] extends string
      ? string
      : (typeof ko)[K];
};

const en: Texts = {
  kitchenTitle: 'Kitchen display',
  pickupTitle: 'Pickup board',
  signInTitle: (screen: string) => `${screen}: sign in`,
  signInHint: "Enter the login id and secret shown when this screen was added in the POS's kiosk list. If the store owner is signed in, it opens right away.",
  loginId: 'Login id',
  secret: 'Secret',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  invalid: 'The login id or secret is not correct.',
  required: 'Enter both the login id and the secret.',
  live: 'Live',
  connecting: 'Connecting…',
  lost: 'Connection lost. Reconnecting…',
  stages: { placed: 'New', preparing: 'Preparing', ready: 'Ready' },
  bumpTo: { placed: 'Start', preparing: 'Ready', ready: 'Picked up' },
  bumpLabel: (number: number, action: string) => `Order ${number}: ${action}`,
  eatIn: 'Eat in',
  takeOut: 'Take out',
  diningUnknown: '',
  ageMinutes: (minutes: number) => (minutes < 1 ? 'just now' : `${minutes} min`),
  late: 'Late',
  empty: 'No orders',
  orderNumber: (number: number) => `No. ${number}`,
  note: 'Note',
  alreadyBumped: (number: number, stage: string) => `Order ${number} was already moved to '${stage}' on another screen.`,
  allStations: 'All stations',
  station: 'Station',
  logout: 'Sign out',
  preparingColumn: 'Preparing',
  readyColumn: 'Ready',
  call: (number: number) => `Order number ${number}, your order is ready`,
  soundHint: 'Touch the screen once to turn the call sound on.',
  pickedUp: 'Picked up',
  picked: 'Picked up',
  unpaid: 'Unpaid',
  unpaidLabel: 'Not paid yet',
};

export function useScreenTexts() {
  const { lang } = useI18n();
  return lang === 'ko' ? (ko as unknown as Texts) : en;
}
