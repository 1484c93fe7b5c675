// A node:test reporter for scripts/test.mjs: one line per result (passed, failed or skipped),
// written as each test ends, so the tally survives a file stopped for taking too long. Unlike
// node's own totals, a suite skipped whole counts as skipped (node counts only tests, so a
// skipped `describe` vanished from them), and a suite counts as failed only for a failure of its
// own (a hook, code outside any test), not again for each failing test inside it. A "start" line
// for each test as it begins tells which one was running when a file is stopped.
export default async function* counts(source) {
  for await (const event of source) {
    // dequeue and complete come as tests run; pass and fail come in the order they are declared
    if (event.type === 'test:dequeue') yield `start\t${event.data.nesting}\t${event.data.name.replace(/\s+/g, ' ')}\n`;
    if (event.type === 'test:complete') yield `end\t${event.data.nesting}\n`;
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo } = event.data;
    const isSuite = details?.type === 'suite';
    if (skip !== undefined || todo !== undefined)
      yield 'skipped\n'; // a todo test may fail without failing the run
    else if (event.type === 'test:fail' && (!isSuite || details?.error?.failureType !== 'subtestsFailed')) yield 'failed\n';
    else if (event.type === 'test:pass' && !isSuite) yield 'passed\n';
  }
}
