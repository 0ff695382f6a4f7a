/** One sample of one time series, for metric outputs such as Prometheus remote write. */
export interface MetricSeries {
  /** Metric name and labels; `__name__` is the metric's name. */
  labels: Record<string, string>
  value: number
}
