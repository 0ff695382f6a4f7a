/** A self-signed certificate for 127.0.0.1 from Debian's openssl, for TLS servers in tests. */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export function selfSignedCertificate(): {key: string; cert: string} {
  const dir = mkdtempSync(join(tmpdir(), 'loadplan-tls-'))
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      {stdio: 'ignore'},
    )
    return {key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8')}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
