export * from './remove-node';
