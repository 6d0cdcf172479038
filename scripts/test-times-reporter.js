// A node:test reporter beside spec (scripts/run-tests.js): one JSON line per test file with the
// seconds its process took, from which the next run orders its files, longest first.
export default async function* fileTimes(source) {
  for await (const event of source) {
    // The runner reports each file as a test named by its path, lasting from its start to its exit.
    if (event.type === 'test:complete' && event.data.nesting === 0 && event.data.name === event.data.file)
      yield `${JSON.stringify({ file: event.data.file, seconds: event.data.details.duration_ms / 1000 })}\n`;
  }
}
