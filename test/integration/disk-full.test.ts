/**
 * Outputs that cannot be written in full: a 1 MB tmpfs (full: ENOSPC) and a read-only one (EROFS). Every case is
 * one line naming the file (or the folder, when refused before any work), exit 2, and no file left behind under
 * the final name or a temporary one. Needs mount(8) and the right to use it (root); skipped with a note elsewhere.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, fixture, runCli, tempDir } from '../support/cli.js';

/** Room the filler leaves on the full filesystem: less than any report or snapshot. */
const FULL_LEFT_KB = 8;
const FS_KB = 1024;

let dir = '';
let full = '';
let readOnly = '';
let skip: string | false = false;

function mount(path: string, options: string): boolean {
  mkdirSync(path, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', path]).status === 0;
}

before(() => {
  dir = tempDir();
  full = join(dir, 'full');
  readOnly = join(dir, 'ro');
  if (!mount(full, `size=${FS_KB}k`) || !mount(readOnly, 'size=64k,ro'))
    skip = 'cannot mount a tmpfs here (needs root and mount(8)): the disk-full cases are not run';
});

after(() => {
  for (const path of [full, readOnly]) spawnSync('umount', [path]);
  rmSync(dir, { recursive: true, force: true });
});

/** Fills the small filesystem up to FULL_LEFT_KB. */
function fill(): void {
  empty();
  writeFileSync(join(full, 'filler'), Buffer.alloc((FS_KB - FULL_LEFT_KB) * 1024));
}

function empty(): void {
  for (const name of readdirSync(full)) rmSync(join(full, name), { force: true, recursive: true });
}

/** Files memprobe left on the test filesystems (the filler apart), temporaries included. */
const leftOver = (): string[] => [...readdirSync(full).filter((f) => f !== 'filler'), ...readdirSync(readOnly)];

/** A running program to snapshot; stopped by the returned function. */
async function program(): Promise<{ pid: number; stop: () => void }> {
  const child = spawn(process.execPath, [join(ROOT, 'fixtures', 'heap', 'secrets-program.mjs'), join(dir, 'secrets.json')], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return { pid: child.pid!, stop: () => child.kill() };
}

interface Case {
  readonly name: string;
  readonly args: () => string[];
  /** The one line memprobe ends with. */
  readonly line: RegExp;
  readonly filled?: boolean;
}

const probe = fixture('leaky.mjs');
const soak = ['soak', probe, '--duration', '3s', '--warmup', '1s', '--no-progress'];
const cases: Case[] = [
  { name: 'soak --snapshots, disk full', filled: true, args: () => [...soak, '--snapshots', '--out', full], line: /crash: cannot write \S+\/full\/1-leaky-1-baseline\.heapsnapshot: no space left on device \(ENOSPC\)/ },
  { name: 'soak --snapshots --redact, disk full', filled: true, args: () => [...soak, '--snapshots', '--redact', '--out', full], line: /crash: cannot write \S+\/full\/1-leaky-1-baseline\.heapsnapshot: no space left on device \(ENOSPC\)/ },
  { name: 'soak --json, disk full', filled: true, args: () => [...soak, '--json', join(full, 'report.json')], line: /^memprobe: cannot write \S+\/full\/report\.json: no space left on device \(ENOSPC\)$/m },
  { name: 'soak --snapshots, read-only folder', args: () => [...soak, '--snapshots', '--out', join(readOnly, 'out')], line: /^memprobe: invalid options: --out: cannot write into \S+\/ro: read-only file system \(EROFS\)$/m },
  // Refused before the soak: a long run whose report cannot be written is not started.
  { name: 'soak --json, read-only folder', args: () => [...soak, '--json', join(readOnly, 'report.json')], line: /^memprobe: --json: cannot write \S+\/ro\/report\.json: read-only file system \(EROFS\)$/m },
  { name: 'inspect --json, disk full', filled: true, args: () => ['inspect', snapshotFile, '--json', join(full, 'inspect.json')], line: /^memprobe: cannot write \S+\/full\/inspect\.json: no space left on device \(ENOSPC\)$/m },
  { name: 'redact, disk full', filled: true, args: () => ['redact', snapshotFile, join(full, 'r.heapsnapshot')], line: /^memprobe: cannot write \S+\/full\/r\.heapsnapshot: no space left on device \(ENOSPC\)$/m },
];
let snapshotFile = '';

test('disk full and read-only outputs: one line naming the file, exit 2, nothing left behind', async (t) => {
  if (skip) return t.skip(skip);
  snapshotFile = join(dir, 'small.heapsnapshot');
  const made = spawnSync(process.execPath, ['-e', `require('v8').writeHeapSnapshot(${JSON.stringify(snapshotFile)})`]);
  assert.equal(made.status, 0);
  const target = await program();
  const snapshotCases: Case[] = [
    { name: 'snapshot --pid, disk full', filled: true, args: () => ['snapshot', '--pid', String(target.pid), '-o', join(full, 'p.heapsnapshot')], line: /^memprobe: cannot write \S+\/full\/p\.heapsnapshot: no space left on device \(ENOSPC\)$/m },
    { name: 'snapshot --pid --redact, disk full', filled: true, args: () => ['snapshot', '--pid', String(target.pid), '--redact', '-o', join(full, 'p.heapsnapshot')], line: /^memprobe: cannot write \S+\/full\/p\.heapsnapshot: no space left on device \(ENOSPC\)$/m },
  ];
  try {
    for (const c of [...cases, ...snapshotCases]) {
      if (c.filled) fill();
      else empty();
      const result = await runCli(c.args(), { timeoutMs: 60_000 });
      const output = result.stdout + result.stderr;
      assert.equal(result.code, 2, `${c.name}: ${output}`);
      assert.match(output, c.line, c.name);
      assert.doesNotMatch(output, /\n\s+at /, `${c.name}: no stack trace`);
      assert.deepEqual(leftOver(), [], `${c.name}: files left`);
    }
  } finally {
    target.stop();
  }
});
