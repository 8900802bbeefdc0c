import type { ServerResponse } from 'node:http';

export declare function policyFromHtml(html: string): string | undefined;
export declare function policyOfBuild(indexHtmlPath: string): string;
export declare function sendPolicy(response: ServerResponse, policy: string): void;
