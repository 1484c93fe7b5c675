// The bus: events between server instances (at most once). Every event a screen must see goes
// through it, so a screen connected to instance A sees what instance B did.

export type BusHandler = (message: unknown) => void;

export interface Bus {
  publish(channel: string, message: unknown): Promise<void>;
  /** returns a function that unsubscribes */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
