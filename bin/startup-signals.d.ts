export declare function holdStartupSignals(): void;
export declare function releaseStartupSignals(): NodeJS.Signals | undefined;
