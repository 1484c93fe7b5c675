// The line protocol of the shipped card terminal driver (docs/payments.md "The line protocol"):
// what each side sends, written and read here for both the driver and the fake terminal.

const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const AMOUNT = /^[1-9][0-9]{0,11}$/;
const APPROVAL_NUMBER = /^[A-Za-z0-9]{1,20}$/;
/** a terminal's transaction number or a reason code: printable ASCII without spaces */
const TOKEN = /^[!-~]{1,64}$/;
const MILLISECONDS = /^[0-9]{1,9}$/;

export type TerminalRequest =
  | { kind: 'SALE'; reference: string; amount: number; timeoutMs: number }
  | { kind: 'ABORT'; reference: string }
  | { kind: 'VOID'; reference: string }
  | { kind: 'REFUND'; reference: string; originalReference: string; approvalNumber: string; amount: number }
  | { kind: 'PING' };

export type TerminalAnswer =
  | { kind: 'WAIT'; reference: string }
  | { kind: 'APPROVED'; reference: string; amount: number; approvalNumber: string; terminalReference: string }
  | { kind: 'DECLINED'; reference: string; code: string; message: string }
  | { kind: 'TIMEOUT'; reference: string }
  | { kind: 'REMOVED'; reference: string }
  | { kind: 'ABORTED'; reference: string }
  | { kind: 'VOIDED'; reference: string; terminalReference: string }
  | { kind: 'NOTFOUND'; reference: string }
  | { kind: 'VOIDFAIL'; reference: string; code: string; message: string }
  | { kind: 'REFUNDED'; reference: string; terminalReference: string }
  | { kind: 'REFUNDFAIL'; reference: string; code: string; message: string }
  | { kind: 'PONG' }
  /** the terminal could not read the request: nothing was done */
  | { kind: 'ERROR'; code: string; message: string };

export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

/** one line, without its \n */
export function formatRequest(request: TerminalRequest): string {
  switch (request.kind) {
    case 'SALE':
      return `SALE ${request.reference} ${request.amount} ${request.timeoutMs}`;
    case 'ABORT':
    case 'VOID':
      return `${request.kind} ${request.reference}`;
    case 'REFUND':
      return `REFUND ${request.reference} ${request.originalReference} ${request.approvalNumber} ${request.amount}`;
    case 'PING':
      return 'PING';
  }
}

export function formatAnswer(answer: TerminalAnswer): string {
  switch (answer.kind) {
    case 'APPROVED':
      return `APPROVED ${answer.reference} ${answer.amount} ${answer.approvalNumber} ${answer.terminalReference}`;
    case 'DECLINED':
    case 'VOIDFAIL':
    case 'REFUNDFAIL':
      return `${answer.kind} ${answer.reference} ${answer.code}${answer.message ? ` ${answer.message}` : ''}`;
    case 'VOIDED':
    case 'REFUNDED':
      return `${answer.kind} ${answer.reference} ${answer.terminalReference}`;
    case 'PONG':
      return 'PONG';
    case 'ERROR':
      return `ERROR ${answer.code}${answer.message ? ` ${answer.message}` : ''}`;
    default:
      return `${answer.kind} ${answer.reference}`;
  }
}

/** the words of a line, and the rest of it after `count` words (a free-text message) */
function split(line: string, count: number): { words: string[]; rest: string } {
  const words: string[] = [];
  let rest = line.replace(/\r$/, '');
  while (words.length < count) {
    const match = /^(\S+) ?/.exec(rest);
    if (!match) break;
    words.push(match[1]!);
    rest = rest.slice(match[0].length);
  }
  return { words, rest };
}

/** undefined: not a line of the protocol (garbled) */
export function parseAnswer(line: string): TerminalAnswer | undefined {
  const { words, rest } = split(line, 5);
  const [kind, reference = '', a = '', b = '', c = ''] = words;
  const all = [kind, reference, a, b, c].filter(Boolean).length;
  const refOk = REFERENCE.test(reference);
  switch (kind) {
    case 'WAIT':
    case 'TIMEOUT':
    case 'REMOVED':
    case 'ABORTED':
    case 'NOTFOUND':
      return all === 2 && !rest && refOk ? { kind, reference } : undefined;
    case 'APPROVED':
      return all === 5 && !rest && refOk && AMOUNT.test(a) && APPROVAL_NUMBER.test(b) && TOKEN.test(c)
        ? { kind, reference, amount: Number(a), approvalNumber: b, terminalReference: c }
        : undefined;
    case 'DECLINED':
    case 'VOIDFAIL':
    case 'REFUNDFAIL': {
      const { words: head, rest: message } = split(line, 3);
      return head.length === 3 && refOk && TOKEN.test(head[2]!) ? { kind, reference, code: head[2]!, message: message.trim() } : undefined;
    }
    case 'VOIDED':
    case 'REFUNDED':
      return all === 3 && !rest && refOk && TOKEN.test(a) ? { kind, reference, terminalReference: a } : undefined;
    case 'PONG':
      return all === 1 && !rest ? { kind } : undefined;
    case 'ERROR': {
      const { words: head, rest: message } = split(line, 2);
      return head.length === 2 && TOKEN.test(head[1]!) ? { kind, code: head[1]!, message: message.trim() } : undefined;
    }
    default:
      return undefined;
  }
}

/** the terminal's side: undefined for a line it cannot read */
export function parseRequest(line: string): TerminalRequest | undefined {
  const { words, rest } = split(line, 5);
  if (rest) return undefined;
  const [kind, reference = '', a = '', b = '', c = ''] = words;
  const refOk = REFERENCE.test(reference);
  switch (kind) {
    case 'SALE':
      return words.length === 4 && refOk && AMOUNT.test(a) && MILLISECONDS.test(b) ? { kind, reference, amount: Number(a), timeoutMs: Number(b) } : undefined;
    case 'ABORT':
    case 'VOID':
      return words.length === 2 && refOk ? { kind, reference } : undefined;
    case 'REFUND':
      return words.length === 5 && refOk && REFERENCE.test(a) && APPROVAL_NUMBER.test(b) && AMOUNT.test(c)
        ? { kind, reference, originalReference: a, approvalNumber: b, amount: Number(c) }
        : undefined;
    case 'PING':
      return words.length === 1 ? { kind } : undefined;
    default:
      return undefined;
  }
}
