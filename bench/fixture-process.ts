import { startFixtureServer } from '@/tests/fixtures/server';

// The benchmark's target site in its own process, as a real target would be: its CPU is not
// charged to the worker's event loop. Prints its URL, then serves until stdin closes.
const fixture = await startFixtureServer();
process.stdout.write(`${fixture.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => void fixture.close().then(() => process.exit(0)));
