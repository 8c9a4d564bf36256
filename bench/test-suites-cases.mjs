// The functions bench/test-suites.mjs checks in every runner: clean ones (no failure expected at 64 B/iteration)
// and planted leaks of 256 B, 1 KB and 16 KB per iteration on the JS heap and in Buffers. Each case builds fresh
// state, so one test's leak does not carry into the next.

/** A planted heap leak: one of these per iteration, holding about `bytes` of heap (an array of small integers). */
export class LeakedRecord {
  constructor(id, bytes) {
    this.id = id;
    // 8 bytes per element (no pointer compression in Node) and ~32 B of array and object headers.
    this.data = new Array(Math.max(1, Math.round((bytes - 48) / 8))).fill(id & 0xff);
  }
}

class Lru {
  constructor(cap) {
    this.cap = cap;
    this.map = new Map();
  }
  get(key, make) {
    let value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
    } else {
      value = make(key);
      if (this.map.size >= this.cap) this.map.delete(this.map.keys().next().value);
    }
    this.map.set(key, value);
    return value;
  }
}

/** name -> () => the function to check (fresh state per test). `leak` is what the message must name. */
export const CASES = {
  'clean: garbage churn': () => () => {
    const rows = [];
    for (let i = 0; i < 20; i++) rows.push({ i, label: `row ${i}` });
    return JSON.stringify(rows).length;
  },
  'clean: bounded LRU filling, then churning': () => {
    // 1000 entries of ~150 B: fills during the first 1000 iterations (500 of them measured), then churns.
    const lru = new Lru(1000);
    let i = 0;
    return () => lru.get(i++, (key) => ({ key, value: `value ${key}`.padEnd(64, '.') }));
  },
  'clean: pool of Buffers': () => {
    const pool = new Array(64).fill(null);
    let i = 0;
    return () => {
      pool[i++ % 64] = Buffer.alloc(4096);
    };
  },
  'clean: lazily built cache': () => {
    // A 256 KB lookup table built on first use of a code path reached after 600 calls (100 measured iterations in).
    let table = null;
    let calls = 0;
    return () => {
      if (++calls >= 600 && table === null) table = Array.from({ length: 8192 }, (_, k) => ({ k }));
      return table ? table[calls % 8192].k : calls;
    };
  },
};
for (const bytes of [256, 1024, 16384]) {
  const size = bytes >= 1024 ? `${bytes / 1024} KB` : `${bytes} B`;
  CASES[`leak: ${size}/iteration on the JS heap`] = Object.assign(() => {
    const kept = [];
    return () => {
      kept.push(new LeakedRecord(kept.length, bytes));
    };
  }, { leak: 'LeakedRecord' });
  CASES[`leak: ${size}/iteration in Buffers`] = Object.assign(() => {
    const kept = [];
    return () => {
      kept.push(Buffer.alloc(bytes));
    };
  }, { leak: 'Buffer' });
}
