/** Draws the forecast view once on the terminal and leaves it there. */
import {render} from 'ink'
import {ForecastView, type ForecastViewProps} from './forecast-view.js'

export async function showForecast(props: ForecastViewProps, stdout: NodeJS.WriteStream): Promise<void> {
  const instance = render(<ForecastView {...props} />, {stdout, patchConsole: false, exitOnCtrlC: false})
  instance.unmount()
  await instance.waitUntilExit()
}
