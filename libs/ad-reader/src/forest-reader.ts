import { guidFromBytes, type ForestInfo, type PartitionInfo } from '@syncready/directory';
import { type Client } from 'ldapts';

type Value = Buffer | Buffer[] | string[] | string | undefined;

function text(value: Value): string {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? '' : first.toString();
}

function texts(value: Value): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.toString());
}

function int(value: Value): number {
  const n = Number(text(value));
  return Number.isFinite(n) ? n : 0;
}

async function baseEntry(client: Client, dn: string, attributes: string[], buffers: string[] = []) {
  const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes, explicitBufferAttributes: buffers });
  return searchEntries[0] ?? { dn };
}

/**
 * Reads what the readiness checks need to know about the forest: rootDSE, the DC's
 * invocationId, schema objectVersion, partitions and the registered UPN suffixes.
 */
export async function readForestInfo(client: Client): Promise<ForestInfo> {
  const root = await baseEntry(client, '', [
    'defaultNamingContext', 'rootDomainNamingContext', 'configurationNamingContext', 'schemaNamingContext',
    'dnsHostName', 'dsServiceName', 'highestCommittedUSN', 'forestFunctionality', 'domainFunctionality',
    'domainControllerFunctionality',
  ]);
  const configurationNamingContext = text(root['configurationNamingContext']);
  const schemaNamingContext = text(root['schemaNamingContext']);
  const dsServiceName = text(root['dsServiceName']);

  const ntds = dsServiceName ? await baseEntry(client, dsServiceName, ['invocationId'], ['invocationId']) : { dn: '' };
  const invocationRaw = ntds['invocationId'];
  const invocationBytes = Array.isArray(invocationRaw) ? invocationRaw[0] : invocationRaw;
  const schema = await baseEntry(client, schemaNamingContext, ['objectVersion']);
  const partitionsDn = `CN=Partitions,${configurationNamingContext}`;
  const partitionsContainer = await baseEntry(client, partitionsDn, ['uPNSuffixes']);
  const { searchEntries: crossRefs } = await client.search(partitionsDn, {
    scope: 'one',
    filter: '(objectClass=crossRef)',
    attributes: ['nCName', 'dnsRoot', 'nETBIOSName'],
  });
  const partitions: PartitionInfo[] = crossRefs
    .map((e) => ({ nCName: text(e['nCName']), dnsRoot: text(e['dnsRoot']), netbiosName: text(e['nETBIOSName']) }))
    .sort((a, b) => a.nCName.localeCompare(b.nCName));

  return {
    dcDnsHostName: text(root['dnsHostName']),
    dsServiceName,
    invocationId: invocationBytes instanceof Buffer && invocationBytes.length === 16 ? guidFromBytes(invocationBytes) : '',
    highestCommittedUsn: int(root['highestCommittedUSN']),
    rootDomainNamingContext: text(root['rootDomainNamingContext']),
    defaultNamingContext: text(root['defaultNamingContext']),
    configurationNamingContext,
    schemaNamingContext,
    forestFunctionality: int(root['forestFunctionality']),
    domainFunctionality: int(root['domainFunctionality']),
    domainControllerFunctionality: int(root['domainControllerFunctionality']),
    schemaObjectVersion: int(schema['objectVersion']),
    upnSuffixes: texts(partitionsContainer['uPNSuffixes']).sort(),
    partitions,
  };
}
