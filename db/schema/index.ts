export * from './accounts';
export * from './exports';
export * from './jobs';
export * from './preferences';
export * from './retention';
export * from './idempotency';
export * from './workers';
