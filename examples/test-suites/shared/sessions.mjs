// The code under test in every example: a session store, once with a cap (clean) and once without (leaks).
export class Session {
  constructor(id, user) {
    this.id = id;
    this.user = user;
    this.createdAt = Date.now();
    this.scopes = ['read', 'write'];
  }
}

/** Keeps the newest `cap` sessions: memory stops growing once it is full. */
export class BoundedSessionStore {
  constructor(cap = 100) {
    this.cap = cap;
    this.sessions = new Map();
    this.next = 0;
  }
  open(user) {
    const session = new Session(this.next++, user);
    this.sessions.set(session.id, session);
    if (this.sessions.size > this.cap) this.sessions.delete(this.sessions.keys().next().value);
    return session;
  }
}

/** The bug: sessions are never removed. */
export class LeakySessionStore {
  constructor() {
    this.sessions = new Map();
    this.next = 0;
  }
  open(user) {
    const session = new Session(this.next++, user);
    this.sessions.set(session.id, session);
    return session;
  }
}

export const bounded = new BoundedSessionStore();
export const leaky = new LeakySessionStore();
