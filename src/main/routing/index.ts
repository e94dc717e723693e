export { budgetView, watchBudget } from './budget-watch';
export { createNetwork, installAppFetchGuard, type Network } from './network';
export { RouteInputs } from './route-inputs';
export { createRoutingServices, type RoutingServices } from './routing-services';
export { RouterConfigFile } from './config-file';
