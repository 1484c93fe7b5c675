// The dictionary's type, derived from the Korean dictionary with every text widened to `string`.
import type { ko } from './ko';

type Widen<T> = T extends string ? string : T extends (...args: infer A) => string ? (...args: A) => string : { readonly [K in keyof T]: Widen<T[K]> };

export type Messages = Widen<typeof ko>;
export type ErrorCode = keyof Messages['errors'];
