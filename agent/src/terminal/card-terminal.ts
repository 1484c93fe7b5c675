// What the agent needs from a card terminal, whatever the maker: charge, void and refund by our
// own reference, and say whether it is there. One driver per protocol (line-protocol-terminal.ts
// is the shipped one); openCardTerminal picks it from the agent's option value.

export type ChargeOutcome =
  | { kind: 'approved'; approvalNumber: string; terminalReference: string; amount: number }
  /** the terminal took no money */
  | { kind: 'declined'; message: string }
  /** nobody presented a card in time (or the customer gave up): no money taken */
  | { kind: 'timed_out' }
  /** the card came out before the end: no money taken */
  | { kind: 'card_removed' }
  /** no (or a garbled) answer within the driver's deadline: the charge may have happened */
  | { kind: 'answer_lost' };

export interface ChargeRequest {
  /** ours (the payment id): every later void or refund names the charge by it */
  reference: string;
  /** integer won */
  amount: number;
  /** how long the terminal waits for a card */
  cardTimeoutMs: number;
}

export interface RefundRequest {
  /** ours, for this refund */
  reference: string;
  /** the charge's reference */
  originalReference: string;
  approvalNumber: string;
  /** integer won */
  amount: number;
}

export type VoidOutcome = { kind: 'voided'; terminalReference?: string } | { kind: 'failed'; message: string };
export type RefundOutcome = { kind: 'refunded'; terminalReference: string } | { kind: 'failed'; message: string };

export interface CardTerminal {
  readonly description: string;
  /** aborting the signal asks the terminal to give up; an approval that was too late still comes back as approved */
  charge(request: ChargeRequest, signal?: AbortSignal): Promise<ChargeOutcome>;
  /** voids by our reference; 'voided' also when there was nothing to void */
  void(reference: string): Promise<VoidOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
  status(): Promise<'ready' | 'offline'>;
  close(): Promise<void>;
}
