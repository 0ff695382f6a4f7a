/**
 * What a transport error code means for the person running the test, and what to do about it.
 * Codes are Node's and undici's (`err.code`); unknown codes are shown as they are.
 */

export interface ErrorReason {
  reason: string
  hint?: string
}

const INSECURE_HINT = '--insecure skips certificate checks (for test servers only)'

const REASONS: Record<string, ErrorReason> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: {reason: 'self-signed certificate', hint: INSECURE_HINT},
  SELF_SIGNED_CERT_IN_CHAIN: {reason: 'self-signed certificate in the chain', hint: INSECURE_HINT},
  CERT_HAS_EXPIRED: {reason: 'certificate has expired', hint: INSECURE_HINT},
  CERT_NOT_YET_VALID: {reason: 'certificate is not valid yet (check the clocks)', hint: INSECURE_HINT},
  ERR_TLS_CERT_ALTNAME_INVALID: {
    reason: 'certificate is for another host name',
    hint: `use the name the certificate was issued for, or ${INSECURE_HINT}`,
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    reason: 'certificate issuer unknown (a private CA?)',
    hint: `NODE_EXTRA_CA_CERTS=ca.pem trusts a private CA; ${INSECURE_HINT}`,
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    reason: 'certificate issuer unknown (a private CA?)',
    hint: `NODE_EXTRA_CA_CERTS=ca.pem trusts a private CA; ${INSECURE_HINT}`,
  },
  EPROTO: {reason: 'TLS handshake failed (is the port plain HTTP, or the TLS version unsupported?)'},
  ERR_TLS_HANDSHAKE_TIMEOUT: {reason: 'TLS handshake timed out'},
  ECONNREFUSED: {reason: 'connection refused: nothing listening on the port'},
  ECONNRESET: {reason: 'connection reset by the server or a proxy'},
  UND_ERR_SOCKET: {reason: 'the socket closed mid-request'},
  UND_ERR_CLOSED: {reason: 'the connection closed before the response'},
  UND_ERR_HEADERS_TIMEOUT: {reason: 'no response headers within --timeout'},
  UND_ERR_BODY_TIMEOUT: {reason: 'the body stalled for longer than --timeout'},
  UND_ERR_CONNECT_TIMEOUT: {reason: 'connecting took longer than --timeout'},
  LOADPLAN_UNEXPECTED_RESPONSE: {
    reason:
      'the server answered what was not asked: an unsolicited 100 Continue (which undici refuses) or a response with no request outstanding',
  },
  LOADPLAN_MALFORMED_RESPONSE: {reason: "a response undici's parser could not take (a malformed status line?)"},
  LOADPLAN_INVALID_STATUS: {reason: 'a status outside 100–999 (not HTTP)'},
  ENOTFOUND: {reason: 'host name not found (DNS)'},
  EAI_AGAIN: {reason: 'DNS lookup failed temporarily'},
  EMFILE: {reason: 'out of file descriptors', hint: 'raise ulimit -n or lower --connections'},
  EADDRNOTAVAIL: {reason: 'out of local ports', hint: 'lower --connections or reuse connections'},
}

export function describeErrorCode(code: string): ErrorReason | undefined {
  return (
    REASONS[code] ??
    (code.startsWith('ERR_SSL_') ? {reason: 'TLS handshake failed (protocol or cipher mismatch?)'} : undefined)
  )
}

/** `CODE ×n: reason; hint` per code, most frequent first. */
export function errorCodeLines(errorCodes: Record<string, number> | undefined, count: (n: number) => string): string[] {
  return Object.entries(errorCodes ?? {})
    .sort(([, a], [, b]) => b - a)
    .map(([code, n]) => {
      const described = describeErrorCode(code)
      return `${code} ×${count(n)}${described ? `: ${described.reason}${described.hint ? `; ${described.hint}` : ''}` : ''}`
    })
}
