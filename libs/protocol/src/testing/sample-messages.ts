import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { type AgentMessage, type ServerMessage } from '../messages';

/*
 * One valid message of every type, with the awkward values real directories have: non-ASCII
 * text, multi-valued attributes, 64-bit counters near 2^53. Shared by the specs.
 */

/** Largest integer a number holds exactly; USNs and sequences must survive up to here. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export const sampleForest: ForestInfo = {
  dcDnsHostName: 'dc1.corp.example.com',
  dsServiceName: 'CN=NTDS Settings,CN=DC1,CN=Servers,CN=Default-First-Site-Name,CN=Sites,CN=Configuration,DC=corp,DC=example,DC=com',
  invocationId: '5f1c2b3a-9d8e-4f70-8a6b-1c2d3e4f5a6b',
  highestCommittedUsn: MAX_SAFE,
  rootDomainNamingContext: 'DC=corp,DC=example,DC=com',
  defaultNamingContext: 'DC=corp,DC=example,DC=com',
  configurationNamingContext: 'CN=Configuration,DC=corp,DC=example,DC=com',
  schemaNamingContext: 'CN=Schema,CN=Configuration,DC=corp,DC=example,DC=com',
  forestFunctionality: 7,
  domainFunctionality: 7,
  domainControllerFunctionality: 7,
  schemaObjectVersion: 88,
  upnSuffixes: ['example.com', 'müller.example'],
  partitions: [
    { nCName: 'DC=corp,DC=example,DC=com', dnsRoot: 'corp.example.com', netbiosName: 'CORP' },
    { nCName: 'DC=DomainDnsZones,DC=corp,DC=example,DC=com', dnsRoot: 'DomainDnsZones.corp.example.com', netbiosName: '' },
  ],
};

export const sampleUser: DirectoryObject = {
  objectGuid: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  distinguishedName: 'CN=Jürgen Ölçek 日本,OU=Ämter,DC=corp,DC=example,DC=com',
  kind: 'user',
  usnChanged: MAX_SAFE,
  attributes: {
    displayName: ['Jürgen Ölçek 日本 🧑‍💻'],
    proxyAddresses: ['SMTP:jurgen@example.com', 'smtp:j.olcek@müller.example', 'x500:/o=Ex/ou=Ädmin'],
    description: ['שלום', 'مرحبا', ''],
    userPrincipalName: ['jurgen@example.com'],
  },
};

export const sampleObjects: readonly DirectoryObject[] = [
  sampleUser,
  {
    objectGuid: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    distinguishedName: 'CN=Staff,OU=Groups,DC=corp,DC=example,DC=com',
    kind: 'group',
    usnChanged: 12345,
    // A large group: many values of one attribute.
    attributes: { member: Array.from({ length: 500 }, (_, i) => `CN=User ${i},OU=Staff,DC=corp,DC=example,DC=com`) },
  },
  { objectGuid: '2a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', distinguishedName: 'CN=Ext,DC=corp', kind: 'contact', usnChanged: 0, attributes: {} },
  {
    objectGuid: '3a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    distinguishedName: 'CN=PC01,OU=Computers,DC=corp,DC=example,DC=com',
    kind: 'computer',
    usnChanged: 2 ** 40 + 7,
    // Many multi-valued attributes.
    attributes: Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`attr${i}`, [`a${i}`, `b${i}`, `ç${i}`]])),
  },
];

/** One of each agent message, in session order. */
export const sampleAgentMessages: readonly AgentMessage[] = [
  {
    type: 'hello',
    protocolVersion: 1,
    minVersion: 1,
    maxVersion: 3,
    agentVersion: '0.1.0',
    capabilities: ['snapshot.v1', 'heartbeat.v1', 'future.v9'],
    siteKey: 'sk_live_0123456789abcdef',
    hostName: 'agent-01.corp.example.com',
  },
  { type: 'hello', protocolVersion: 1, agentVersion: '0.1.0', capabilities: [], siteKey: 'k', hostName: 'h' },
  { type: 'snapshotBegin', snapshotId: 'snap-1', forest: sampleForest, baseDn: 'DC=corp,DC=example,DC=com' },
  { type: 'objectBatch', snapshotId: 'snap-1', sequence: 1, objects: sampleObjects },
  { type: 'objectBatch', snapshotId: 'snap-1', sequence: MAX_SAFE, objects: [] },
  { type: 'snapshotEnd', snapshotId: 'snap-1', sequence: MAX_SAFE, objectCount: MAX_SAFE, digest: '0123456789abcdef' },
  { type: 'snapshotEnd', snapshotId: 'snap-2', sequence: 0, objectCount: 0, digest: '0000000000000000' },
  { type: 'heartbeat', sentAtMs: 1_764_500_000_000 },
  { type: 'heartbeat', sentAtMs: 0 },
  { type: 'deltaBegin', deltaId: 'delta-1', baseGeneration: 3, invocationId: sampleForest.invocationId, fromUsn: 1001, toUsn: MAX_SAFE },
  { type: 'deltaBegin', deltaId: 'delta-2', baseGeneration: 3, invocationId: sampleForest.invocationId, fromUsn: 1001, toUsn: 1000 },
  { type: 'deltaBatch', deltaId: 'delta-1', sequence: 1, upserts: sampleObjects, deletions: ['4a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'] },
  { type: 'deltaBatch', deltaId: 'delta-1', sequence: 2, upserts: [], deletions: [] },
  { type: 'deltaEnd', deltaId: 'delta-1', sequence: 2, upsertCount: 4, deletionCount: 1 },
];

/** One of each control-plane message. */
export const sampleServerMessages: readonly ServerMessage[] = [
  {
    type: 'welcome',
    protocolVersion: 1,
    serverVersion: '0.1.0',
    capabilities: ['snapshot.v1', 'heartbeat.v1'],
    siteId: 'site-42',
    sessionId: 'sess-7',
    maxFrameBytes: 4 * 1024 * 1024,
    heartbeatIntervalMs: 30_000,
  },
  {
    type: 'welcome',
    protocolVersion: 1,
    serverVersion: '0.1.0',
    capabilities: ['snapshot.v1', 'delta.v1'],
    siteId: 'site-42',
    sessionId: 'sess-8',
    maxFrameBytes: 4 * 1024 * 1024,
    heartbeatIntervalMs: 30_000,
    cursor: { invocationId: sampleForest.invocationId, highestUsn: MAX_SAFE, generation: 3, baseDn: 'DC=corp,DC=example,DC=com' },
  },
  { type: 'ack', snapshotId: 'snap-1', sequence: MAX_SAFE },
  { type: 'ack', snapshotId: 'snap-1', sequence: 0 },
  { type: 'snapshotCommitted', snapshotId: 'snap-1', generation: 3, objectCount: MAX_SAFE },
  { type: 'snapshotRejected', snapshotId: 'snap-1', reason: 'digestMismatch', message: 'digest ≠ expected' },
  { type: 'snapshotRejected', snapshotId: 'snap-1', reason: 'unspecified', message: '' },
  { type: 'error', code: 'PROTOCOL.UNEXPECTED_MESSAGE', message: 'objectBatch before snapshotBegin' },
  { type: 'heartbeat', sentAtMs: MAX_SAFE },
  { type: 'deltaCommitted', deltaId: 'delta-1', generation: 3, toUsn: MAX_SAFE },
  { type: 'deltaRejected', deltaId: 'delta-1', reason: 'baseMismatch', message: 'generation 4 is current' },
  { type: 'deltaRejected', deltaId: 'delta-1', reason: 'unknownCursor', message: '' },
  { type: 'syncRequest', fullSnapshot: true, reason: 'resync requested by operator@example.com' },
  { type: 'syncRequest', fullSnapshot: false, reason: '' },
];
