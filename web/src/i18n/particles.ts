// Korean particles chosen by the word before them, so messages never print "을(를)": a final
// syllable with a batchim takes 을/이/은/과/으로, one without takes 를/가/는/와/로 (and ㄹ takes 로).
// Digits are read as Korean numerals (12 -> 십이 -> 를, 10 -> 십 -> 을, 7 -> 칠 -> 로).

export type Particle = '을' | '이' | '은' | '과' | '으로';

const withoutBatchim: Record<Particle, string> = { 을: '를', 이: '가', 은: '는', 과: '와', 으로: '로' };

/** the final consonant of a word as read aloud: 'none', 'rieul' (ㄹ) or 'other' */
function batchimOf(word: string): 'none' | 'rieul' | 'other' {
  // the last letter, digit or syllable: closing quotes, brackets and spaces don't count
  const match = /[\p{L}\p{N}][^\p{L}\p{N}]*$/u.exec(word.trim());
  if (!match) return 'none';
  const last = match[0][0]!;
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const final = (code - 0xac00) % 28;
    return final === 0 ? 'none' : final === 8 ? 'rieul' : 'other';
  }
  if (/\d/.test(last)) {
    // 1 일, 7 칠, 8 팔 end in ㄹ; 0 영, 3 삼, 6 육 in another; 2 이, 4 사, 5 오, 9 구 in none.
    // A run of zeros ends in 십/백/천/만 (all a batchim that is not ㄹ); the number 0 is 영.
    const digits = /\d+$/.exec(word.slice(0, match.index + 1))![0];
    const lastDigit = digits[digits.length - 1]!;
    if (lastDigit !== '0') return lastDigit === '1' || lastDigit === '7' || lastDigit === '8' ? 'rieul' : '369'.includes(lastDigit) ? 'other' : 'none';
    return 'other';
  }
  // Latin letters read out: L (엘) and R (알) end in ㄹ; M (엠), N (엔) in another; the rest in none
  const lower = last.toLowerCase();
  if (lower === 'l' || lower === 'r') return 'rieul';
  if (lower === 'm' || lower === 'n') return 'other';
  return 'none';
}

/** the particle that follows `word`: particle('라떼', '을') -> '를', particle('커피콩', '이') -> '이' */
export function particle(word: string | number, which: Particle): string {
  const batchim = batchimOf(String(word));
  if (which === '으로') return batchim === 'other' ? '으로' : '로';
  return batchim === 'none' ? withoutBatchim[which] : which;
}
