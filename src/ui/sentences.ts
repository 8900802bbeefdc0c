// Messages are built from parts that each may or may not end in a full stop (an error's own
// message, a reason from the data layer, a fixed closing sentence). Joining them here gives every
// sentence exactly one terminal mark, however its part was written.

const terminal = /[.!?…]$/;

/** One sentence with exactly one terminal mark: trailing full stops collapse, a bare part gains one. */
export function asSentence(part: string): string {
  const trimmed = part.trim().replace(/\.+$/, '');
  if (trimmed === '') return '';
  return terminal.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Sentences joined by one space; empty parts are left out. */
export function sentences(...parts: string[]): string {
  return parts.map(asSentence).filter(Boolean).join(' ');
}
