// Shopping sessions: a new session starts after 30 minutes without activity. Session ids
// let sequence models split a shopper's history into visits.

export const sessionIdleMs = 30 * 60 * 1000;
const storageKey = 'aisle.session';

/** The part of the Web Storage API the session tracker needs. */
export type SessionStore = Pick<Storage, 'getItem' | 'setItem'>;

interface StoredSession {
  id: string;
  lastActiveAt: number;
}

export interface SessionTracker {
  /** The session id for activity at `now`; starts a new session after the idle gap. */
  sessionIdAt(now?: number): string;
}

/**
 * How stale the stored activity time may get before it is written again. Every event asks for its
 * session on the click's path, and a sessionStorage write there costs more than the rest of
 * recording the event; this tracker keeps the exact time in memory, so only another tracker (a
 * reload) may see the session end up to this much sooner than after 30 minutes.
 */
export const activityWriteMs = 10_000;

export function createSessionTracker(
  store: SessionStore = defaultSessionStore(),
  idleMs = sessionIdleMs,
): SessionTracker {
  /** the last session this tracker stamped, with its exact activity time */
  let latest: StoredSession | undefined;
  return {
    sessionIdAt(now = Date.now()) {
      const stored = readSession(store);
      // what this tracker would have stored, unless another one has started a new session since
      const previous = latest !== undefined && stored?.id === latest.id ? latest : stored;
      const stillActive = previous !== undefined && now - previous.lastActiveAt < idleMs;
      const id = stillActive ? previous.id : newSessionId();
      latest = { id, lastActiveAt: now };
      if (stored?.id !== id || Math.abs(now - stored.lastActiveAt) >= activityWriteMs)
        writeSession(store, latest);
      return id;
    },
  };
}

/** sessionStorage when the browser allows it (it may throw in privacy modes), else memory. */
export function defaultSessionStore(): SessionStore {
  try {
    const storage = globalThis.sessionStorage;
    if (storage) {
      storage.getItem(storageKey);
      return storage;
    }
  } catch {
    // blocked storage: fall through to memory
  }
  return memoryStore();
}

export function memoryStore(): SessionStore {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
  };
}

function readSession(store: SessionStore): StoredSession | undefined {
  try {
    const parsed: unknown = JSON.parse(store.getItem(storageKey) ?? 'null');
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as StoredSession).id === 'string' &&
      typeof (parsed as StoredSession).lastActiveAt === 'number'
    ) {
      return parsed as StoredSession;
    }
  } catch {
    // unreadable value: start a new session
  }
  return undefined;
}

function writeSession(store: SessionStore, session: StoredSession): void {
  try {
    store.setItem(storageKey, JSON.stringify(session));
  } catch {
    // storage full or blocked: the id still works for this page's lifetime
  }
}

function newSessionId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
