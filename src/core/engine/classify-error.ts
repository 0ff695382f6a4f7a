/**
 * Transport failures, classified by `err.code` (never by message text) into a bounded set, so
 * the error breakdown of a run cannot grow without limit.
 */
import type {ErrorClass} from '../../contracts/results/run-result.js'

const CODE_TO_CLASS: Record<string, ErrorClass> = {
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ECONNABORTED: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  // HTTP/2 (raw-http2-client.ts, node-http2-client.ts): a stream reset, a session torn down or sent away.
  ERR_HTTP2_STREAM_ERROR: 'reset',
  ERR_HTTP2_STREAM_CANCEL: 'reset',
  ERR_HTTP2_SESSION_ERROR: 'reset',
  ERR_HTTP2_GOAWAY_SESSION: 'reset',
  // WebSocket and gRPC sessions (ws-session.ts, grpc-session.ts): a reply or a call out of time, a
  // session the server ended or lost. Other gRPC statuses are the service's answers: `other`.
  LOADPLAN_REPLY_TIMEOUT: 'timeout',
  LOADPLAN_WS_HANDSHAKE_TIMEOUT: 'timeout',
  LOADPLAN_WS_CLOSED: 'reset',
  GRPC_DEADLINE_EXCEEDED: 'timeout',
  GRPC_UNAVAILABLE: 'reset',
  GRPC_CANCELLED: 'reset',
  LOADPLAN_GRPC_TLS: 'tls',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
  EPROTO: 'tls',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls',
  CERT_HAS_EXPIRED: 'tls',
  CERT_NOT_YET_VALID: 'tls',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
  ERR_TLS_HANDSHAKE_TIMEOUT: 'tls',
}

/**
 * Two of undici's failures say more than their codes: a `bad response` socket error is the server
 * answering what was not asked (an unsolicited `100 Continue`, which undici refuses, or bytes with
 * no request outstanding), not a reset; an assertion inside its parser is a response it could not
 * take (a malformed status line). Both get a code of their own, so the report names the cause and
 * the reset count stays the server's resets. The message is the only mark undici gives the first.
 */
export function withSpecificCode(error: Error): Error {
  const code = (error as {code?: unknown}).code
  if (code === 'UND_ERR_SOCKET' && error.message === 'bad response')
    return Object.assign(error, {code: 'LOADPLAN_UNEXPECTED_RESPONSE'})
  if (code === 'ERR_ASSERTION')
    return Object.assign(new Error('malformed response'), {code: 'LOADPLAN_MALFORMED_RESPONSE'})
  return error
}

/** Maps an error from undici or the socket layer to its class. */
export function classifyError(error: unknown): ErrorClass {
  const code = (error as {code?: unknown} | null)?.code
  if (typeof code !== 'string') return 'other'
  return CODE_TO_CLASS[code] ?? (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') ? 'tls' : 'other')
}

/** Failures of the connection itself: retrying at once would spin, so the closed model backs off briefly. */
export function isConnectFailure(errorClass: ErrorClass): boolean {
  return errorClass === 'refused' || errorClass === 'dns' || errorClass === 'tls'
}
