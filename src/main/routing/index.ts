export { createNetwork, type Network } from './network';
export { RouteInputs } from './route-inputs';
export { createRoutingServices, type RoutingServices } from './routing-services';
