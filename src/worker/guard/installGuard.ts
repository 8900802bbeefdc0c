// Imported first by every worker entry, so the guard is in place before any other module of the
// worker is evaluated (ES modules run their imports depth-first, in order). Keep this file and
// networkGuard.ts free of other imports.
import { guardWorkerScope, type GuardedScope } from './networkGuard';

guardWorkerScope(globalThis as unknown as GuardedScope);
