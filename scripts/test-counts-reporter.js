// A node:test reporter beside spec (scripts/run-tests.js runs each test file with both): one JSON
// line per finished test, written as it finishes, so a file whose process is killed half-way still
// tells what it got through. It counts as node's own summary does: every test() at any depth (one
// with subtests too), no describe() suite; a cancelled test is a failed one here, and a skipped
// suite is told apart (its tests never run, so they would count nowhere).
export default async function* testCounts(source) {
  // Names of the tests now running, by depth, for a failure's full name ("suite > test").
  const path = [];
  for await (const event of source) {
    if (event.type === 'test:start') {
      path.length = event.data.nesting;
      path.push(event.data.name);
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    const suite = data.details?.type === 'suite';
    let result;
    if (suite) {
      if (!data.skip) continue;
      result = 'suite skipped';
    } else if (data.skip) result = 'skipped';
    else if (data.todo) result = 'todo';
    else result = event.type === 'test:pass' ? 'passed' : 'failed';
    const name = [...path.slice(0, data.nesting), data.name].join(' > ');
    yield `${JSON.stringify({ result, name })}\n`;
  }
}
