export { collectReply, type CollectedReply, type ModelRunner, type RunRequest } from './model-runner';
