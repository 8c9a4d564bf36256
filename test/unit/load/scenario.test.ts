import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NOTIFICATION_SCENARIO } from '../../../src/load/notification-scenario.js';
import { CaptureStore, CompiledOperation } from '../../../src/load/request-builder.js';
import { loadScenario, validateScenario } from '../../../src/load/scenario.js';
import { ROOT } from '../../support/cli.js';

test('the shipped JSON scenario is the built-in one, and it is valid', () => {
  const json: unknown = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'load', 'notification-scenario.json'), 'utf8'));
  assert.deepEqual(json, NOTIFICATION_SCENARIO);
  const { scenario, problems } = validateScenario(json, 'notification-scenario.json');
  assert.deepEqual(problems, []);
  assert.equal(scenario?.users, 50);
  assert.deepEqual(scenario?.operations.map((op) => op.weight), [3, 4, 2, 1]);
});

test('scenario problems are all listed, with where they are', () => {
  const { scenario, problems } = validateScenario(
    {
      users: 0,
      operations: [
        { name: 'a', path: 'no-slash', weight: 0 },
        { name: 'a', method: 'G ET', path: '/x/{nope}' },
        { path: '/y', headers: { Host: 'x' }, capture: { user: 'id' } },
      ],
    },
    'mix.json',
  );
  assert.equal(scenario, null);
  const text = problems.join('\n');
  for (const expected of [/mix\.json: users/, /operations\[0\]\.path/, /operations\[0\]\.weight/, /operations\[1\]\.method/, /used twice/, /\{nope\} is not a variable/, /headers\.Host: set by memprobe/, /capture\.user/]) {
    assert.match(text, expected);
  }
  assert.match(validateScenario({}, 'x').problems[0]!, /operations: must be a non-empty array/);
});

test('requests are built with filled templates, Content-Length and captured values', () => {
  const { scenario } = validateScenario(NOTIFICATION_SCENARIO, 'n');
  const [create, list, markRead] = scenario!.operations.map((op) => new CompiledOperation(op, '127.0.0.1:8080', (u) => `run1u${u}`));
  const captured = new CaptureStore();
  const text = create!.build({ user: 7, i: 42, rand: 0 }, captured).toString();
  const body = JSON.stringify({ userId: 'run1u7', title: 'Order 42 shipped', body: 'Your order is on its way.', priority: 'normal', data: { order: '42' } });
  assert.equal(text, `POST /notifications HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  assert.equal(list!.build({ user: 3, i: 1, rand: 0 }, captured).toString(), 'GET /users/run1u3/notifications?limit=20 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n');
  create!.capture(Buffer.from('{"id":"n99","seq":99}'), 7, captured);
  assert.equal(markRead!.build({ user: 7, i: 2, rand: 0 }, captured).toString(), 'POST /users/run1u7/notifications/n99/read HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 0\r\n\r\n');
});

test('an operation without variables is serialized once and reused', () => {
  const { scenario } = validateScenario({ operations: [{ path: '/stats' }] }, 's');
  const op = new CompiledOperation(scenario!.operations[0]!, 'h', String);
  const captured = new CaptureStore();
  assert.equal(op.build({ user: 1, i: 1, rand: 1 }, captured), op.build({ user: 2, i: 2, rand: 2 }, captured));
});

test('a scenario can be an ES module whose default export is the object; a missing file is one problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'memprobe-scenario-'));
  const file = join(dir, 'mix.mjs');
  writeFileSync(file, "export default { name: 'esm', users: 3, operations: [{ path: '/a', weight: 2 }, { method: 'post', path: '/b', body: { x: '{user}' } }] };\n");
  const { scenario, problems } = await loadScenario(file, dir);
  assert.deepEqual(problems, []);
  assert.deepEqual(scenario?.operations.map((op) => [op.name, op.method, op.weight, op.body]), [
    ['GET /a', 'GET', 2, null],
    ['POST /b', 'POST', 1, '{"x":"{user}"}'],
  ]);
  assert.deepEqual((await loadScenario('nope.json', dir)).problems, ['--scenario nope.json: no such file']);
});
