// A realistic Korean coffee-chain menu for each demo brand. Prices in won.
import type { ItemInput, OptionGroupInput } from '../catalog/catalog.service.js';

export interface DemoMenuItem {
  name: string;
  description: string;
  price: number;
  /** most items are not counted; bakery is baked in batches */
  stock?: number;
  options?: OptionGroupInput[];
}

export interface DemoCategory {
  name: string;
  color: string;
  items: DemoMenuItem[];
}

const size: OptionGroupInput = {
  name: '사이즈',
  kind: 'single',
  required: true,
  options: [
    { name: '톨', priceDelta: 0 },
    { name: '그란데', priceDelta: 500 },
    { name: '벤티', priceDelta: 1000 },
  ],
};
const temperature: OptionGroupInput = {
  name: '온도',
  kind: 'single',
  required: true,
  options: [
    { name: 'HOT', priceDelta: 0 },
    { name: 'ICE', priceDelta: 0 },
  ],
};
const extras: OptionGroupInput = {
  name: '추가',
  kind: 'multiple',
  options: [
    { name: '샷 추가', priceDelta: 500 },
    { name: '시럽 추가', priceDelta: 300 },
    { name: '휘핑크림', priceDelta: 500 },
  ],
};
const coffee = [temperature, size, extras];
const iced = [size, extras];

export const demoMenus: Record<string, DemoCategory[]> = {
  HANEUL: [
    {
      name: '에스프레소',
      color: '#6b4226',
      items: [
        { name: '아메리카노', description: '진한 에스프레소에 물을 더한 기본 커피', price: 4500, options: coffee },
        { name: '카페라떼', description: '에스프레소와 부드러운 우유', price: 5000, options: coffee },
        { name: '카푸치노', description: '풍성한 우유 거품', price: 5000, options: coffee },
        { name: '바닐라라떼', description: '바닐라 시럽을 더한 라떼', price: 5500, options: coffee },
        { name: '카라멜 마키아또', description: '카라멜 소스와 우유 거품', price: 5900, options: coffee },
      ],
    },
    {
      name: '콜드 브루',
      color: '#3b2a20',
      items: [
        { name: '콜드 브루', description: '차갑게 오래 우려낸 커피', price: 4900, options: iced },
        { name: '돌체 콜드 브루', description: '달콤한 연유를 더한 콜드 브루', price: 5800, options: iced },
      ],
    },
    {
      name: '프라푸치노',
      color: '#8d5b3e',
      items: [
        { name: '자바칩 프라푸치노', description: '초콜릿 칩을 갈아 넣은 음료', price: 6300, options: iced },
        { name: '말차 프라푸치노', description: '진한 말차와 우유', price: 6300, options: iced },
      ],
    },
    {
      name: '티',
      color: '#4f7942',
      items: [
        { name: '캐모마일', description: '은은한 꽃향의 허브차', price: 4500, options: [temperature] },
        { name: '유자차', description: '국산 유자로 만든 따뜻한 차', price: 5000, options: [temperature] },
      ],
    },
    {
      name: '베이커리',
      color: '#c58940',
      items: [
        { name: '크루아상', description: '버터 향이 가득한 크루아상', price: 3800, stock: 20 },
        { name: '치즈케이크', description: '진한 뉴욕 치즈케이크', price: 5900, stock: 12 },
        { name: '단팥빵', description: '국산 팥을 넣은 부드러운 빵', price: 3000, stock: 15 },
      ],
    },
  ],
  BYEOL: [
    {
      name: '커피',
      color: '#5a3825',
      items: [
        { name: '아메리카노', description: '고소한 블렌드 원두', price: 3800, options: coffee },
        { name: '카페라떼', description: '우유와 에스프레소', price: 4300, options: coffee },
        { name: '카페모카', description: '초콜릿과 에스프레소', price: 4800, options: coffee },
        { name: '헤이즐넛 라떼', description: '헤이즐넛 향의 라떼', price: 4800, options: coffee },
      ],
    },
    {
      name: '디카페인',
      color: '#7a6a53',
      items: [
        { name: '디카페인 아메리카노', description: '카페인을 줄인 아메리카노', price: 4300, options: coffee },
        { name: '디카페인 라떼', description: '카페인을 줄인 라떼', price: 4800, options: coffee },
      ],
    },
    {
      name: '스무디',
      color: '#d2386c',
      items: [
        { name: '딸기 스무디', description: '딸기를 통째로 갈아 만든 스무디', price: 5500, options: [size] },
        { name: '망고 스무디', description: '달콤한 망고 스무디', price: 5500, options: [size] },
      ],
    },
    {
      name: '티/에이드',
      color: '#e0a526',
      items: [
        { name: '레몬에이드', description: '상큼한 레몬 탄산음료', price: 4800, options: [size] },
        { name: '자몽에이드', description: '쌉싸름한 자몽 탄산음료', price: 4800, options: [size] },
        { name: '녹차', description: '제주 녹차', price: 3800, options: [temperature] },
      ],
    },
    {
      name: '베이커리',
      color: '#b5793b',
      items: [
        { name: '소금빵', description: '겉은 바삭 속은 촉촉한 소금빵', price: 3200, stock: 24 },
        { name: '마들렌', description: '버터 마들렌 2개', price: 2800, stock: 30 },
      ],
    },
  ],
  CHOROK: [
    {
      name: '커피',
      color: '#2e5e4e',
      items: [
        { name: '아메리카노', description: '산미가 적은 부드러운 커피', price: 4000, options: coffee },
        { name: '카페라떼', description: '고소한 우유 라떼', price: 4500, options: coffee },
        { name: '아인슈페너', description: '달콤한 크림을 올린 커피', price: 5500, options: iced },
        { name: '흑당 라떼', description: '흑당 시럽과 우유', price: 5300, options: coffee },
      ],
    },
    {
      name: '라떼',
      color: '#6b8e23',
      items: [
        { name: '녹차 라떼', description: '진한 녹차와 우유', price: 5000, options: coffee },
        { name: '고구마 라떼', description: '달콤한 고구마 라떼', price: 5000, options: coffee },
        { name: '곡물 라떼', description: '미숫가루 라떼', price: 4800, options: coffee },
      ],
    },
    {
      name: '전통차',
      color: '#8b4513',
      items: [
        { name: '쌍화차', description: '몸을 따뜻하게 하는 쌍화차', price: 5500, options: [temperature] },
        { name: '대추차', description: '달콤한 대추차', price: 5500, options: [temperature] },
      ],
    },
    {
      name: '디저트',
      color: '#cd853f',
      items: [
        { name: '약과', description: '꿀을 머금은 전통 약과', price: 2500, stock: 40 },
        { name: '인절미 떡', description: '콩고물 인절미', price: 4000, stock: 15 },
        { name: '호두과자', description: '따끈한 호두과자 6개', price: 3500, stock: 25 },
      ],
    },
  ],
};

/** a small stable hash of a name: the same item gets the same picture on every start */
function hashOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.codePointAt(0)!, 16777619) >>> 0;
  return hash;
}

/** the colour of a drink, read from its name */
function drinkColour(name: string): string {
  const byWord: Array<[RegExp, string]> = [
    [/딸기/, '#e8577a'],
    [/망고/, '#f4a62a'],
    [/레몬|유자|캐모마일/, '#f2cf3b'],
    [/자몽/, '#f0795a'],
    [/녹차|말차/, '#7fae3e'],
    [/고구마/, '#9c6bb5'],
    [/곡물/, '#d9c29a'],
    [/쌍화|대추/, '#7a2e1c'],
    [/모카|자바칩|흑당/, '#5a3320'],
    [/아메리카노|콜드 브루|에스프레소/, '#3b2417'],
    [/라떼|카푸치노|마키아또|아인슈페너/, '#c89a6a'],
  ];
  return byWord.find(([word]) => word.test(name))?.[1] ?? '#a0714f';
}

/** the vessel a drink comes in, read from its name: a tall glass for cold drinks, a teacup for teas, a mug otherwise */
function vesselOf(name: string): 'glass' | 'teacup' | 'mug' {
  if (/콜드|스무디|에이드|프라푸치노|아이스/.test(name)) return 'glass';
  if (/차$|캐모마일/.test(name)) return 'teacup';
  return 'mug';
}

function drink(name: string, hash: number): string {
  const liquid = drinkColour(name);
  const milky = /라떼|카푸치노|마키아또|아인슈페너|모카/.test(name);
  const vessel = vesselOf(name);
  if (vessel === 'glass') {
    const ice = [0, 1, 2]
      .map(
        (i) =>
          `<rect x="${245 + i * 55}" y="${250 + ((hash >> i) & 1) * 40}" width="48" height="48" rx="8" fill="#ffffff" opacity="0.55" transform="rotate(${(i - 1) * 12} ${269 + i * 55} ${274})"/>`,
      )
      .join('');
    return (
      `<path d="M215 150h210l-25 330a26 26 0 0 1-26 24H266a26 26 0 0 1-26-24z" fill="#ffffff" opacity="0.95"/>` +
      `<path d="M226 220h188l-20 255a18 18 0 0 1-18 16H264a18 18 0 0 1-18-16z" fill="${liquid}"/>` +
      ice +
      `<rect x="355" y="70" width="18" height="190" rx="9" fill="#ffffff" transform="rotate(14 364 165)"/>` +
      (/스무디|프라푸치노/.test(name) ? `<ellipse cx="320" cy="175" rx="110" ry="45" fill="#ffffff"/>` : '')
    );
  }
  if (vessel === 'teacup') {
    return (
      `<ellipse cx="320" cy="440" rx="200" ry="42" fill="#ffffff" opacity="0.9"/>` +
      `<path d="M170 260h300a150 150 0 0 1-300 0z" fill="#ffffff"/>` +
      `<ellipse cx="320" cy="262" rx="142" ry="30" fill="${liquid}"/>` +
      `<path d="M468 280a45 45 0 0 1 0 80" fill="none" stroke="#ffffff" stroke-width="18"/>` +
      (/대추|쌍화/.test(name) ? `<circle cx="290" cy="258" r="12" fill="#b8452b"/><circle cx="345" cy="264" r="10" fill="#e3c07a"/>` : '') +
      steam(hash)
    );
  }
  // a mug, seen from a little above: the drink's surface, latte art on milky drinks
  const art = milky
    ? (hash & 1) === 0
      ? `<path d="M320 262c-30-30-70 0-40 30l40 32 40-32c30-30-10-60-40-30z" fill="#f7ebd9"/>`
      : `<path d="M320 236v70M292 250c28 10 28 30 0 42M348 250c-28 10-28 30 0 42" stroke="#f7ebd9" stroke-width="12" fill="none" stroke-linecap="round"/>`
    : '';
  return (
    `<path d="M180 230h280v170a90 90 0 0 1-90 90H270a90 90 0 0 1-90-90z" fill="#ffffff"/>` +
    `<path d="M458 270h30a55 55 0 0 1 0 110h-34" fill="none" stroke="#ffffff" stroke-width="24"/>` +
    `<ellipse cx="320" cy="232" rx="140" ry="44" fill="#ffffff"/>` +
    `<ellipse cx="320" cy="236" rx="122" ry="34" fill="${liquid}"/>` +
    art +
    (/아인슈페너|휘핑/.test(name) ? `<ellipse cx="320" cy="218" rx="100" ry="36" fill="#fffaf0"/>` : '') +
    `<rect x="200" y="330" width="240" height="26" rx="13" fill="${liquid}" opacity="0.35"/>` +
    steam(hash)
  );
}

function steam(hash: number): string {
  const shift = (hash >> 3) % 30;
  return [0, 1, 2]
    .map(
      (i) =>
        `<path d="M${270 + i * 50 + shift / 3} 180c-20-25 20-40 0-70" fill="none" stroke="#ffffff" stroke-width="10" stroke-linecap="round" opacity="0.7"/>`,
    )
    .join('');
}

function food(name: string, hash: number): string {
  const plate = `<ellipse cx="320" cy="400" rx="230" ry="70" fill="#ffffff" opacity="0.95"/><ellipse cx="320" cy="395" rx="170" ry="45" fill="#f1ece4"/>`;
  if (/크루아상/.test(name))
    return `${plate}<path d="M160 370q160-210 320 0q-60-40-90-30q-70-70-140 0q-30-10-90 30z" fill="#d99a45" stroke="#a8692a" stroke-width="8"/>`;
  if (/케이크/.test(name))
    return (
      plate +
      `<path d="M200 380l240-60v70l-240 60z" fill="#f6e3b4"/><path d="M200 380l240-60-60-90z" fill="#fff4d6" stroke="#e4c98c" stroke-width="6"/><circle cx="385" cy="255" r="18" fill="#d93a4a"/>`
    );
  if (/마들렌/.test(name))
    return (
      plate +
      `<path d="M230 390q90-230 180 0z" fill="#e0a54b"/><path d="M260 380q60-120 120 0M290 380q30-70 60 0" stroke="#b67a2a" stroke-width="8" fill="none"/>`
    );
  if (/약과/.test(name))
    return (
      plate +
      [0, 1, 2, 3, 4, 5, 6, 7]
        .map((i) => `<circle cx="${320 + 62 * Math.cos((i * Math.PI) / 4)}" cy="${330 + 40 * Math.sin((i * Math.PI) / 4)}" r="38" fill="#9a5420"/>`)
        .join('') +
      `<circle cx="320" cy="330" r="55" fill="#b8692a"/>`
    );
  if (/떡/.test(name))
    return (
      plate +
      [0, 1, 2, 3, 4, 5]
        .map(
          (i) =>
            `<rect x="${215 + (i % 3) * 72}" y="${300 + Math.floor(i / 3) * 55}" width="62" height="48" rx="10" fill="#e9d9a6" stroke="#c9b070" stroke-width="5"/>`,
        )
        .join('')
    );
  if (/호두/.test(name))
    return (
      plate +
      [0, 1, 2, 3, 4, 5]
        .map((i) => `<circle cx="${235 + (i % 3) * 85}" cy="${330 + Math.floor(i / 3) * 55}" r="36" fill="#b5773a" stroke="#8a5322" stroke-width="6"/>`)
        .join('')
    );
  if (/소금빵/.test(name))
    return (
      plate +
      `<path d="M190 370q130-150 260 0q-130 40-260 0z" fill="#e2a24f"/><circle cx="280" cy="330" r="5" fill="#fff"/><circle cx="330" cy="318" r="5" fill="#fff"/><circle cx="370" cy="335" r="5" fill="#fff"/>`
    );
  if (/빵/.test(name)) return `${plate}<circle cx="320" cy="330" r="105" fill="#c9782e"/><circle cx="320" cy="322" r="16" fill="#fbe9c6"/>`;
  // anything else baked: a cookie with its chips where the name puts them
  const chips = [0, 1, 2, 3, 4]
    .map((i) => `<circle cx="${270 + ((hash >> (i * 3)) % 100)}" cy="${290 + ((hash >> (i * 2 + 1)) % 70)}" r="11" fill="#5a3320"/>`)
    .join('');
  return `${plate}<circle cx="320" cy="330" r="110" fill="#d8a25e"/>${chips}`;
}

/**
 * A picture for a menu item, drawn as SVG from shapes only (no text, so nothing depends on the
 * fonts of the machine that renders it): the category's colour behind, and the item itself read
 * from its name: a tall glass with ice for cold drinks, a teacup for teas, a mug (latte art on
 * milky ones) otherwise, each in the drink's own colour; pastries, cakes, rice cakes and cookies
 * on a plate. A pattern from the name's hash tells apart items that would otherwise look alike.
 */
export function demoPictureSvg(name: string, color: string, isFood: boolean): string {
  const hash = hashOf(name);
  const pattern = ['dots', 'rings', 'stripes'][hash % 3];
  const accent = `hsl(${hash % 360} 60% 70%)`;
  const background =
    pattern === 'dots'
      ? [0, 1, 2, 3, 4, 5]
          .map((i) => `<circle cx="${60 + ((hash >> i) % 9) * 60}" cy="${40 + i * 100}" r="${14 + (i % 3) * 6}" fill="${accent}" opacity="0.35"/>`)
          .join('')
      : pattern === 'rings'
        ? `<circle cx="${100 + (hash % 440)}" cy="120" r="90" fill="none" stroke="${accent}" stroke-width="18" opacity="0.35"/><circle cx="${540 - (hash % 300)}" cy="540" r="70" fill="none" stroke="${accent}" stroke-width="14" opacity="0.35"/>`
        : [0, 1, 2, 3]
            .map((i) => `<rect x="-100" y="${i * 170 + (hash % 60)}" width="900" height="40" fill="${accent}" opacity="0.25" transform="rotate(-20 320 320)"/>`)
            .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640" viewBox="0 0 640 640">
  <rect width="640" height="640" fill="${color}"/>
  ${background}
  <circle cx="320" cy="320" r="250" fill="#ffffff" opacity="0.12"/>
  ${isFood ? food(name, hash) : drink(name, hash)}
</svg>`;
}

type DemoFacts = Required<Pick<ItemInput, 'caffeineMg' | 'sugarG' | 'kcal' | 'allergens'>>;
const facts = (caffeineMg: number, sugarG: number, kcal: number, ...allergens: string[]): DemoFacts => ({ caffeineMg, sugarG, kcal, allergens });

/**
 * Menu facts of the demo items by name (the same drink has the same facts in every brand), as
 * served by default (the smallest size, no extras): typical published figures of Korean chains.
 * Decaf coffee keeps a little caffeine, so it is not caffeine-free; bakery and teas without tea
 * leaves are. An item missing here has its facts unknown.
 */
export const demoFacts: Record<string, DemoFacts> = {
  아메리카노: facts(150, 0, 10),
  카페라떼: facts(75, 11, 180, 'milk'),
  카푸치노: facts(75, 7, 110, 'milk'),
  바닐라라떼: facts(75, 27, 250, 'milk'),
  '카라멜 마키아또': facts(75, 26, 200, 'milk'),
  '콜드 브루': facts(150, 0, 5),
  '돌체 콜드 브루': facts(150, 27, 260, 'milk'),
  '자바칩 프라푸치노': facts(100, 42, 340, 'milk', 'soy', 'wheat'),
  '말차 프라푸치노': facts(70, 35, 270, 'milk'),
  캐모마일: facts(0, 0, 0),
  유자차: facts(0, 33, 150),
  크루아상: facts(0, 5, 290, 'egg', 'milk', 'soy', 'wheat'),
  치즈케이크: facts(0, 25, 400, 'egg', 'milk', 'wheat'),
  단팥빵: facts(0, 20, 280, 'egg', 'milk', 'soy', 'wheat'),
  카페모카: facts(95, 25, 290, 'milk', 'soy'),
  '헤이즐넛 라떼': facts(75, 22, 230, 'milk'),
  '디카페인 아메리카노': facts(10, 0, 10),
  '디카페인 라떼': facts(5, 11, 180, 'milk'),
  '딸기 스무디': facts(0, 40, 250, 'milk'),
  '망고 스무디': facts(0, 45, 260, 'milk'),
  레몬에이드: facts(0, 38, 160),
  자몽에이드: facts(0, 36, 150),
  녹차: facts(30, 0, 5),
  소금빵: facts(0, 3, 260, 'milk', 'wheat'),
  마들렌: facts(0, 18, 220, 'egg', 'milk', 'wheat'),
  아인슈페너: facts(150, 18, 220, 'milk'),
  '흑당 라떼': facts(75, 30, 280, 'milk'),
  '녹차 라떼': facts(50, 28, 240, 'milk'),
  '고구마 라떼': facts(0, 30, 300, 'milk'),
  '곡물 라떼': facts(0, 20, 230, 'milk', 'soy', 'wheat'),
  쌍화차: facts(0, 15, 90),
  대추차: facts(0, 25, 160),
  약과: facts(0, 20, 240, 'soy', 'wheat'),
  '인절미 떡': facts(0, 8, 220, 'soy'),
  호두과자: facts(0, 22, 260, 'egg', 'milk', 'soy', 'wheat', 'walnut'),
};
