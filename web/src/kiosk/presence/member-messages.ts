// The words of confirming a face match by the phone's last 4 digits and of "지난번과 같은 걸로":
// hooked into the dictionaries as `memberDigits`. No message here ever holds a member's name or digits.

export const memberDigitsKo = {
  confirm: {
    title: '회원이시면 번호를 눌러 주세요',
    lateTitle: '회원이신가요?',
    text: '등록하신 휴대전화 번호의 마지막 4자리를 눌러 주세요. 맞으면 회원으로 주문합니다.',
    label: '휴대전화 번호 마지막 4자리',
    empty: '아직 누르지 않았습니다',
    incomplete: '4자리를 모두 눌러 주세요.',
    submit: '확인',
    submitting: '확인하는 중…',
    notMember: '회원이 아니에요',
    wrong: (left: number) => `번호가 맞지 않습니다. ${left}번 더 누르실 수 있습니다.`,
    failed: '회원 확인이 되지 않았습니다. 비회원으로 주문하실 수 있고, ‘전화번호로 찾기’도 있습니다.',
    asGuest: '비회원으로 주문하기',
  },
  reorder: {
    button: '지난번과 같은 걸로',
    title: '지난번과 같은 걸로 담을까요?',
    quantity: (count: number) => `${count}개`,
    total: '합계',
    skipped: (names: string) => `지금은 주문할 수 없어 빼고 담습니다: ${names}`,
    nothing: '지난번 메뉴는 지금 주문할 수 없습니다.',
    add: '장바구니에 담기',
    cancel: '담지 않기',
    done: (count: number) => `지난번과 같은 메뉴 ${count}가지를 장바구니에 담았습니다.`,
  },
};

export const memberDigitsEn: typeof memberDigitsKo = {
  confirm: {
    title: 'If you are a member, enter your number',
    lateTitle: 'Are you a member?',
    text: 'Enter the last 4 digits of the mobile number you registered. If they match, you order as a member.',
    label: 'Last 4 digits of your mobile number',
    empty: 'Nothing entered yet',
    incomplete: 'Please enter all 4 digits.',
    submit: 'Confirm',
    submitting: 'Checking…',
    notMember: 'I am not a member',
    wrong: (left: number) => `The number does not match. You can try ${left} more ${left === 1 ? 'time' : 'times'}.`,
    failed: 'We could not confirm your membership. You can order as a guest, or use “Find by phone number”.',
    asGuest: 'Order as a guest',
  },
  reorder: {
    button: 'Same as last time',
    title: 'Add the same as last time?',
    quantity: (count: number) => `× ${count}`,
    total: 'Total',
    skipped: (names: string) => `Not available now, left out: ${names}`,
    nothing: 'Nothing from your last order can be ordered now.',
    add: 'Add to cart',
    cancel: 'Do not add',
    done: (count: number) => `Added ${count} ${count === 1 ? 'item' : 'items'} from your last order to the cart.`,
  },
};
