import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PeerCertificate } from 'node:tls';
import { UsageError } from '../exit-codes';
import { parseCaPin, pinnedIdentityCheck, pinOfCertificate } from './server-trust';

const dir = mkdtempSync(join(tmpdir(), 'trust-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const certFile = join(dir, 'server.crt');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'server.key'), '-out', certFile, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
const pem = readFileSync(certFile);
/** The documented way to compute a pin, with openssl alone. */
const opensslPin = execFileSync('sh', ['-c', `openssl x509 -in "${certFile}" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -r`]).toString().split(' ')[0] ?? '';

function peer(): PeerCertificate {
  const der = Buffer.from(pem.toString().replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return { raw: der, subject: { CN: 'localhost' }, subjectaltname: 'DNS:localhost, IP Address:127.0.0.1' } as unknown as PeerCertificate;
}

describe('CA pins', () => {
  it('pins the SHA-256 of the SubjectPublicKeyInfo, as the documented openssl pipeline prints it', () => {
    expect(opensslPin).toMatch(/^[0-9a-f]{64}$/);
    expect(pinOfCertificate(pem)).toBe(opensslPin);
  });

  it('reads hex (any case, with colons) and base64', () => {
    const colons = opensslPin.toUpperCase().match(/../g)?.join(':') ?? '';
    expect(parseCaPin(colons)).toBe(opensslPin);
    expect(parseCaPin(`sha256/${Buffer.from(opensslPin, 'hex').toString('base64')}`)).toBe(opensslPin);
  });

  it('reads a base64 pin that starts with a slash after its sha256/ prefix', () => {
    // A key whose hash starts with 0xfc encodes to base64 starting with '/'.
    const hex = `fc${'ab'.repeat(31)}`;
    const base64 = Buffer.from(hex, 'hex').toString('base64');
    expect(base64.startsWith('/')).toBe(true);
    expect(parseCaPin(`sha256/${base64}`)).toBe(hex);
    expect(parseCaPin(base64)).toBe(hex);
  });

  it.each(['', 'abc', 'zz'.repeat(32), 'ab'.repeat(31)])('refuses the pin %j', (pin) => {
    expect(() => parseCaPin(pin)).toThrow(UsageError);
  });

  it('accepts the pinned key for the right host, refuses another key or another host', () => {
    expect(pinnedIdentityCheck(opensslPin)('localhost', peer())).toBeUndefined();
    expect(pinnedIdentityCheck('ab'.repeat(32))('localhost', peer())).toMatchObject({ code: 'CA_PIN_MISMATCH' });
    expect(pinnedIdentityCheck(opensslPin)('evil.example.com', peer())).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });
});
