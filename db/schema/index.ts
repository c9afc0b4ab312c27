export * from './accounts';
export * from './exports';
export * from './jobs';
export * from './preferences';
export * from './retention';
