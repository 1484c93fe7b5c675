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

/** a picture for a menu item, drawn as SVG: the category's colour, a cup, and the name */
export function demoPictureSvg(name: string, color: string, isFood: boolean): string {
  const escaped = name.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const symbol = isFood
    ? '<ellipse cx="320" cy="300" rx="170" ry="95" fill="#f3d9a4" stroke="#fff" stroke-width="10"/>'
    : '<path d="M190 170h260l-30 260a30 30 0 0 1-30 26H250a30 30 0 0 1-30-26z" fill="#fff" opacity="0.92"/>' +
      '<path d="M450 220h40a50 50 0 0 1 0 100h-52" fill="none" stroke="#fff" stroke-width="22" opacity="0.92"/>' +
      `<rect x="205" y="230" width="230" height="70" fill="${color}" opacity="0.55"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="640" viewBox="0 0 640 640">
  <rect width="640" height="640" fill="${color}"/>
  <circle cx="320" cy="290" r="230" fill="#ffffff" opacity="0.12"/>
  ${symbol}
  <text x="320" y="560" font-family="sans-serif" font-size="56" font-weight="700" fill="#ffffff" text-anchor="middle">${escaped}</text>
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
