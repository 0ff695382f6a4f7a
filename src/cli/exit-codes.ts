/** Exit codes: CI can tell "the SLO failed" apart from "you typed it wrong". */
export const EXIT = {
  ok: 0,
  /** A bug in loadplan: please report it. */
  bug: 1,
  /** Invalid flags, service file or data file. */
  badInput: 2,
  /** A threshold (or SLO) failed. */
  thresholdsFailed: 3,
  /** Stopped by Ctrl-C or SIGTERM; the partial result was still written. */
  interrupted: 130,
} as const
