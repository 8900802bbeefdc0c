export declare const chromiumCandidates: string[];
export declare function findChromium(): string | undefined;
export declare const quietArgs: string[];
export declare const webgpuArgs: string[];
