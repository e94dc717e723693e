export { createGuardedFetch, loggableUrl, type GuardedFetch, type GuardedFetchOptions } from './guarded-fetch';
export { installGlobalFetchGuard, type GlobalFetchGuardOptions } from './global-fetch-guard';
export { hostReach, isLoopbackHost, isLoopbackHostHeader, isPrivateAddress, networkHostProblem, offlineVerdict, type HostReach, type OfflineVerdict } from './host-policy';
export { OutboundLog, SqliteOutboundSink, type OutboundEntry, type OutboundLogOptions, type OutboundSink } from './outbound-log';
// The app's one network: the guarded fetch every provider uses, the outbound log, the global backstop.
export { createNetwork, installAppFetchGuard, type Network } from './app-network';
