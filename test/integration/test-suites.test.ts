/**
 * The examples under examples/test-suites run in the real runners (node:test, vitest, jest): the passing test
 * passes, and the failing one fails with a message that names the leaking constructor and its retainer path.
 * The runners are dev dependencies of that folder only: `npm ci --prefix examples/test-suites` installs them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT, tempDir } from '../support/cli.js';

const EXAMPLES = join(ROOT, 'examples', 'test-suites');
const installed = existsSync(join(EXAMPLES, 'node_modules', 'vitest')) && existsSync(join(EXAMPLES, 'node_modules', 'jest'));
const skip = installed ? false : 'examples/test-suites/node_modules is missing: run `npm ci --prefix examples/test-suites` first';
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const vitestSkip = skip || (major < 22 || (major === 22 && minor < 12) ? `vitest 5 needs Node 22.12+ (this is ${process.version})` : false);

const reports = tempDir();
after(() => rmSync(reports, { recursive: true, force: true }));

const PASSING = 'a bounded session store does not leak';
const FAILING = 'a session store without a cap leaks (fails on purpose)';

function run(args: readonly string[]): { status: number | null; output: string } {
  // Without NODE_TEST_CONTEXT: a `node --test` that inherits it from this test file skips running its files.
  const { NODE_TEST_CONTEXT: _nested, ...env } = process.env;
  const options = { cwd: EXAMPLES, encoding: 'utf8' as const, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 180_000 };
  const result = spawnSync(process.execPath, args, options);
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** The leak's message: the figure, the interval, the budget, the constructor and where it is held. */
function assertLeakMessage(message: string): void {
  assert.match(message, /JS heap grows \d+ B\/iteration \[\d+ B\/iteration, \d+ B\/iteration\], budget <= 64 B\/iteration/);
  assert.match(message, /live count grew with the iterations[^\n]*\n\s+Session \+\d+ \(1 per iteration/);
  assert.match(message, /retainer path of a new Session: .*sessions \(Map\) -> table \(array\) -> \[\] \(Session\)/);
}

interface JsonAssertion {
  readonly title: string;
  readonly status: string;
  readonly failureMessages?: readonly string[];
}

function assertionsOf(file: string): Map<string, JsonAssertion> {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { testResults: Array<{ assertionResults: JsonAssertion[] }> };
  return new Map(report.testResults.flatMap((r) => r.assertionResults).map((a) => [a.title, a]));
}

test('node:test: the bounded store passes, the object is released, the leaky store fails naming Session', { skip }, () => {
  const { status, output } = run(['--test', '--test-reporter=tap', join('node-test', 'sessions.test.mjs')]);
  assert.equal(status, 1, output);
  assert.match(output, new RegExp(`^\\s*ok \\d+ - ${PASSING}$`, 'm'));
  assert.match(output, /^\s*ok \d+ - a dropped session is collected$/m);
  assert.match(output, new RegExp(`^\\s*not ok \\d+ - ${FAILING.replace(/[()]/g, '\\$&')}$`, 'm'));
  assert.match(output, /AssertionError/);
  assertLeakMessage(output);
});

for (const pool of ['forks', 'threads']) {
  test(`vitest (${pool}): expect(fn).not.toLeak() passes for the bounded store and fails for the leaky one`, { skip: vitestSkip }, () => {
    const out = join(reports, `vitest-${pool}.json`);
    const { status, output } = run([join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', join('vitest', 'vitest.config.mjs'), '--pool', pool, '--reporter=json', `--outputFile=${out}`]);
    assert.equal(status, 1, output);
    const results = assertionsOf(out);
    assert.equal(results.get(PASSING)?.status, 'passed', output);
    assert.equal(results.get(FAILING)?.status, 'failed', output);
    assertLeakMessage(results.get(FAILING)?.failureMessages?.join('\n') ?? '');
  });
}

test('jest: expect(fn).not.toLeak() passes for the bounded store and fails for the leaky one', { skip }, () => {
  const out = join(reports, 'jest.json');
  const { status, output } = run(['--experimental-vm-modules', join('node_modules', 'jest', 'bin', 'jest.js'), '--config', join('jest', 'jest.config.mjs'), '--json', `--outputFile=${out}`]);
  assert.equal(status, 1, output);
  const results = assertionsOf(out);
  assert.equal(results.get(PASSING)?.status, 'passed', output);
  assert.equal(results.get(FAILING)?.status, 'failed', output);
  assertLeakMessage(results.get(FAILING)?.failureMessages?.join('\n') ?? '');
});
