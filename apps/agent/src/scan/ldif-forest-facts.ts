import { type ForestInfo, LdifParser, type LdifRecord, type PartitionInfo, type RawValue } from '@syncready/directory';
import { type RawLine, splitLines } from './line-splitter';

const PARTITIONS = /^CN=Partitions,(CN=Configuration,.+)$/i;
const UTF8 = new TextDecoder('utf-8');

function text(value: RawValue | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : UTF8.decode(value);
}

function values(record: LdifRecord, name: string): RawValue[] {
  for (const [key, list] of record.attributes) if (key.toLowerCase() === name) return list;
  return [];
}

/** The container DN when `dn` is CN=Partitions itself or a crossRef in it. */
function partitionsOf(dn: string): string | undefined {
  const parts = dn.split(/,(?=CN=Partitions,)/i);
  const container = parts.length > 1 ? parts[parts.length - 1] : dn;
  return container !== undefined && PARTITIONS.test(container) ? container : undefined;
}

/**
 * Forest facts an LDIF export can hold: an `ldifde -d "CN=Partitions,CN=Configuration,..."`
 * export (concatenated with the domain export) carries the alternative UPN suffixes
 * (`uPNSuffixes` on CN=Partitions) and one crossRef per partition (nCName, dnsRoot, NetBIOS
 * name). Everything else an LDIF cannot say (functional levels, schema version, the DC) is
 * unknown: numbers are NaN and strings empty, so a check never mistakes "not in the export"
 * for "Windows 2000". Returns undefined when the export has no CN=Partitions records.
 */
export function forestFromRecords(records: readonly LdifRecord[]): ForestInfo | undefined {
  let configuration: string | undefined;
  const upnSuffixes = new Set<string>();
  const partitions: PartitionInfo[] = [];
  for (const record of records) {
    const container = partitionsOf(record.dn);
    if (!container) continue;
    configuration ??= PARTITIONS.exec(container)?.[1];
    const classes = values(record, 'objectclass').map((v) => text(v).toLowerCase());
    if (classes.includes('crossrefcontainer')) {
      for (const suffix of values(record, 'upnsuffixes')) upnSuffixes.add(text(suffix));
    } else if (classes.includes('crossref')) {
      partitions.push({
        nCName: text(values(record, 'ncname')[0]),
        dnsRoot: text(values(record, 'dnsroot')[0]),
        netbiosName: text(values(record, 'netbiosname')[0]),
      });
    }
  }
  if (configuration === undefined) return undefined;
  const root = configuration.replace(/^CN=Configuration,/i, '');
  return {
    dcDnsHostName: '',
    dsServiceName: '',
    invocationId: '',
    highestCommittedUsn: NaN,
    rootDomainNamingContext: root,
    defaultNamingContext: root,
    configurationNamingContext: configuration,
    schemaNamingContext: `CN=Schema,${configuration}`,
    forestFunctionality: NaN,
    domainFunctionality: NaN,
    domainControllerFunctionality: NaN,
    schemaObjectVersion: NaN,
    upnSuffixes: [...upnSuffixes].sort(),
    partitions: partitions.sort((a, b) => a.nCName.localeCompare(b.nCName)),
  };
}

function decodeDn(logical: string): string {
  const rest = logical.slice(3);
  return rest.startsWith(':') ? UTF8.decode(Buffer.from(rest.slice(1).trim(), 'base64')) : rest.trim();
}

/**
 * A quick first pass over the export that keeps only CN=Partitions records, because the checks
 * need the forest facts before the first object and an export may list them anywhere. Splits
 * lines and looks at `dn:` lines only; syntax errors are left to the main pass, which reports
 * them with their line numbers.
 */
export async function readLdifForestFacts(chunks: AsyncIterable<Uint8Array>): Promise<ForestInfo | undefined> {
  const records: LdifRecord[] = [];
  let capture: RawLine[] | undefined;
  let dnLine: string | undefined;
  let atRecordStart = true;
  const flush = (): void => {
    if (capture && dnLine !== undefined && partitionsOf(decodeDn(dnLine))) {
      const parser = new LdifParser();
      try {
        for (const line of capture) {
          const record = parser.pushLine(line.bytes.toString('utf8'), line.number);
          if (record) records.push(record);
        }
        const last = parser.end();
        if (last) records.push(last);
      } catch {
        // Reported by the main pass.
      }
    }
    capture = undefined;
    dnLine = undefined;
  };
  let inDn = false;
  for await (const line of splitLines(chunks)) {
    const first = line.bytes[0];
    const blank = line.bytes.length === 0 || (line.bytes.length === 1 && first === 0x0d);
    if (blank) {
      flush();
      atRecordStart = true;
      continue;
    }
    const continuation = first === 0x20;
    if (atRecordStart && line.bytes.subarray(0, 3).toString('latin1').toLowerCase() === 'dn:') {
      capture = [line];
      dnLine = line.bytes.toString('utf8').replace(/\r$/, '');
      atRecordStart = false;
      inDn = true;
      continue;
    }
    const versionLine = line.bytes.subarray(0, 8).toString('latin1').toLowerCase() === 'version:';
    if (first !== 0x23 && !continuation && !versionLine) atRecordStart = false;
    // A folded dn: continuation lines belong to it until the next attribute line.
    if (inDn && continuation) dnLine += line.bytes.toString('utf8').replace(/\r$/, '').slice(1);
    else inDn = false;
    capture?.push(line);
  }
  flush();
  return forestFromRecords(records);
}
