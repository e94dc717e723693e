export { createGuardedFetch, loggableUrl, type GuardedFetch, type GuardedFetchOptions } from './guarded-fetch';
export { installGlobalFetchGuard, type GlobalFetchGuardOptions } from './global-fetch-guard';
export { isLoopbackHost, isLoopbackHostHeader, offlineVerdict, parseHostTarget, type HostTarget, type OfflineVerdict } from './host-policy';
export { OutboundLog, SqliteOutboundSink, type OutboundEntry, type OutboundLogOptions, type OutboundSink } from './outbound-log';
