// Puts a page's live streams (EventSource) in a test's hands: hold a stream's opening until the test
// lets it go, and wait until the page has taken in its `ready`. A stream that opens while the customer
// is already pressing keys is a re-render the screen must survive; holding it makes that order certain.
import type { Page, Route } from 'playwright-core';

const READY_COUNT = '__pinokioLiveReady';

export interface LiveStreams {
  /** holds the next stream whose URL matches until `release()` */
  hold(url: RegExp): Promise<{ release(): Promise<void> }>;
  /** how many streams have said `ready` so far */
  readyCount(): Promise<number>;
  /** waits until `count` streams have said `ready`, and the page has rendered what followed */
  readyAt(count: number): Promise<void>;
}

/** call before the page loads its app */
export async function watchLiveStreams(page: Page): Promise<LiveStreams> {
  await page.addInitScript((name: string) => {
    const counts = window as unknown as Record<string, number>;
    counts[name] = 0;
    const Native = window.EventSource;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener('ready', () => (counts[name] = (counts[name] ?? 0) + 1));
      }
    };
  }, READY_COUNT);
  return {
    async hold(url) {
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let continued: Promise<void> | undefined;
      await page.route(
        url,
        (route: Route) => {
          continued = gate.then(() => route.continue());
          return continued;
        },
        { times: 1 },
      );
      return {
        async release() {
          open();
          await continued;
        },
      };
    },
    readyCount: () => page.evaluate((name) => (window as unknown as Record<string, number>)[name] ?? 0, READY_COUNT),
    async readyAt(count) {
      await page.waitForFunction(([name, at]) => ((window as unknown as Record<string, number>)[name as string] ?? 0) >= (at as number), [
        READY_COUNT,
        count,
      ] as const);
      // React renders the stream's news in a task of its own, and runs effects after the next frame
      await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)))));
    },
  };
}
