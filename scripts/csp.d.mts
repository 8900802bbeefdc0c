import type { ServerResponse } from 'node:http';

export declare function policyFromHtml(html: string): string | undefined;
export declare function policyOfBuild(indexHtmlPath: string): string;
export declare const isolationHeaders: Readonly<{
  'Cross-Origin-Opener-Policy': 'same-origin';
  'Cross-Origin-Embedder-Policy': 'require-corp';
}>;
export declare function responseHeaders(
  policy: string,
  options?: { isolated?: boolean },
): Record<string, string>;
export declare function sendHeaders(
  response: ServerResponse,
  policy: string,
  options?: { isolated?: boolean },
): void;
export declare function isolationOff(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): boolean;
