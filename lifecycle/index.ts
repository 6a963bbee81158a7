export * from './remove-node';
export * from './backup-identity';
