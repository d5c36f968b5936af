// The fault-injecting token endpoint lives with the fault matrix (npm run faults); tests use the same one.
export * from '../../../bench/faultServer';
