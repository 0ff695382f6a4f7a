/**
 * Every command by id, for running commands in-process (tests). The CLI itself loads only the
 * command it runs, found through oclif.manifest.json (package.json oclif.commands: pattern).
 */
import Calibrate from './calibrate.js'
import Capacity from './capacity.js'
import CatalogList from './catalog/list.js'
import CatalogShow from './catalog/show.js'
import CatalogStats from './catalog/stats.js'
import Compare from './compare.js'
import Demo from './demo.js'
import Forecast from './forecast.js'
import Headroom from './headroom.js'
import ImportHar from './import/har.js'
import K8s from './k8s.js'
import Merge from './merge.js'
import Monitor from './monitor/index.js'
import MonitorExport from './monitor/export.js'
import Plan from './plan.js'
import Report from './report.js'
import Run from './run.js'
import Simulate from './simulate.js'

export const COMMANDS = {
  calibrate: Calibrate,
  capacity: Capacity,
  'catalog:list': CatalogList,
  'catalog:show': CatalogShow,
  'catalog:stats': CatalogStats,
  compare: Compare,
  demo: Demo,
  forecast: Forecast,
  headroom: Headroom,
  'import:har': ImportHar,
  k8s: K8s,
  merge: Merge,
  monitor: Monitor,
  'monitor:export': MonitorExport,
  plan: Plan,
  report: Report,
  run: Run,
  simulate: Simulate,
}
