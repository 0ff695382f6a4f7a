/** How often the dashboard receives a snapshot and redraws: about ten frames a second. Its own
 * module so that starting a dashboard does not load Ink on the main thread. */
export const UI_INTERVAL_MS = 100
