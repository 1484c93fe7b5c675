// node's spec reporter without the totals it prints at the end of every file: scripts/test.mjs
// runs each file in a process of its own and prints the run's totals once, at the end.
import { Readable } from 'node:stream';
import { spec as Spec } from 'node:test/reporters';

const totalsLine = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /;

export default async function* spec(source) {
  async function* withoutTotals() {
    for await (const event of source) {
      if (event.type === 'test:diagnostic' && event.data.nesting === 0 && totalsLine.test(event.data.message)) continue;
      yield event;
    }
  }
  yield* Readable.from(withoutTotals()).pipe(new Spec());
}
