// undici's index loads every dispatcher, fetch, WebSocket and the cache (≈3× the start-up of the
// client alone); the engine imports the two modules it uses by path (undici has no exports map).
declare module 'undici/lib/dispatcher/client.js' {
  import {Client} from 'undici'
  export default Client
}
declare module 'undici/lib/core/connect.js' {
  import {buildConnector} from 'undici'
  export default buildConnector
}
