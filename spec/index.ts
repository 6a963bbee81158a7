export * from './cron';
export * from './errors';
export * from './ip';
export * from './load';
export * from './model';
export * from './schema';
export * from './set';
export * from './versions';
