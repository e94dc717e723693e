/**
 * What the hardware probe found. The schema lives in the shared contract (it is the wire shape of
 * `hardware.detect`); re-exported here so the hardware code keeps one import path.
 */
export { GpuVendor, GpuInfo, HardwareReport } from '../../shared/contract/setup-types';
