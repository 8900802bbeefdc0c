import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser } from '@playwright/test';

export declare const repositoryRoot: string;
export declare const dist: string;
export declare function ensureBuild(log: (line: string) => void): void;
export interface ServedBuild {
  origin: string;
  close(): void;
}
export declare function serveBuild(
  files: ReadonlyMap<string, string>,
  privatePath: string,
  /** answers a request under privatePath (given the path below it) and returns true, or returns false */
  privateRoute?: (request: IncomingMessage, response: ServerResponse, privateName: string) => boolean,
): Promise<ServedBuild>;
export declare function launchChromium(): Promise<Browser>;
