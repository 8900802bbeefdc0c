// The runner's words for a failure inside the page: files named as the user gave them (never the
// private URL the page read them from), and an import failure always names the data file, with
// its line when the parser gave one.

/** What the page reported: which step failed, its message, and the parser's line (0: the whole file). */
export interface PageFailure {
  stage: 'import' | 'run';
  message: string;
  lineNumber?: number;
}

/** files: served name ('data', 'negatives', 'attributes') -> the name to show (the file's base name). */
export function pageErrorMessage(
  failure: PageFailure,
  files: ReadonlyMap<string, string>,
  privatePath: string,
): string {
  let message = failure.message;
  for (const [name, shown] of files) message = message.replaceAll(`${privatePath}${name}`, shown);
  // a side file's message names its own file; the run's other errors are not about the data file
  const sideFile = /^(line \d+: )?(negatives|attributes) file /.test(failure.message);
  const aboutData =
    failure.stage === 'import' || (failure.lineNumber !== undefined && failure.lineNumber > 0);
  return aboutData && !sideFile ? `${files.get('data')}: ${message}` : message;
}
