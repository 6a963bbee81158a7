export * from './plan';
export * from './node-script';
export * from './script';
export * from './runbook';
