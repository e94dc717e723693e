/** Usage metrics for the dashboard and the llm-performance.json export (issue #5). */
export { dayKey, DEFAULT_DASHBOARD_DAYS, MetricsService, type MetricsServiceDeps } from './metrics-service';
