import { buildComputers } from './fixture-computers';
import { buildContacts } from './fixture-contacts';
import { FIXTURE_BASE_DN, type FixtureContext } from './fixture-context';
import { buildGroups } from './fixture-groups';
import { buildUsers } from './fixture-users';
import { ldifAddRecord, ldifModifyRecord } from './ldif-writer';
import { SambaDcError } from './samba-dc-error';
import { SeededRandom } from './seeded-random';
import { certificateKey } from './self-signed-certificate';

/** What to generate. Counts are exact; every value derives from `seed`. */
export interface FixtureOptions {
  /** Name of the OU created under DC=contoso,DC=local: letters, digits, space, `.`, `_`, `-`. */
  readonly ou: string;
  readonly users: number;
  readonly groups: number;
  readonly contacts: number;
  readonly computers: number;
  /** @default 1 */
  readonly seed?: number;
  /**
   * Long legacy X500 proxy addresses (about 1,000 characters each) added to every mail-enabled
   * user and every contact, as a mailbox moved through several Exchange organizations carries:
   * bigger objects without more of them, for memory and backpressure tests. 0 to 64.
   * @default 0
   */
  readonly extraProxyAddresses?: number;
}

/** How many objects a fixture adds. */
export interface FixtureCounts {
  readonly users: number;
  readonly groups: number;
  readonly contacts: number;
  readonly computers: number;
  /** The fixture OU and its four sub-OUs (Users, Groups, Contacts, Computers). */
  readonly organizationalUnits: number;
  /** Every object the LDIF adds. */
  readonly total: number;
}

/** A generated fixture. */
export interface FixtureLdif {
  readonly ldif: string;
  readonly ouDn: string;
  /** The OU's description once the whole LDIF has been applied (see {@link fixtureMarker}). */
  readonly marker: string;
  readonly counts: FixtureCounts;
}

const OU_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9 ._-]{0,62}[A-Za-z0-9._-])?$/;
/** Keeps a typo from asking a test DC for millions of objects at ~200 adds per second. */
const MAX_PER_KIND = 200_000;
const SUB_OUS = ['Users', 'Groups', 'Contacts', 'Computers'] as const;
const MAX_EXTRA_PROXY_ADDRESSES = 64;

function validate(options: FixtureOptions): Required<FixtureOptions> {
  if (!OU_NAME.test(options.ou)) {
    throw new SambaDcError('SAMBA_DC.BAD_FIXTURE_OPTIONS', `fixture OU ${JSON.stringify(options.ou)} must be 1-64 letters, digits, spaces, '.', '_' or '-'`);
  }
  for (const kind of ['users', 'groups', 'contacts', 'computers'] as const) {
    const n = options[kind];
    if (!Number.isInteger(n) || n < 0 || n > MAX_PER_KIND) {
      throw new SambaDcError('SAMBA_DC.BAD_FIXTURE_OPTIONS', `fixture ${kind} must be an integer from 0 to ${MAX_PER_KIND}, got ${n}`);
    }
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new SambaDcError('SAMBA_DC.BAD_FIXTURE_OPTIONS', `fixture seed must be an integer, got ${seed}`);
  const extraProxyAddresses = options.extraProxyAddresses ?? 0;
  if (!Number.isInteger(extraProxyAddresses) || extraProxyAddresses < 0 || extraProxyAddresses > MAX_EXTRA_PROXY_ADDRESSES) {
    throw new SambaDcError('SAMBA_DC.BAD_FIXTURE_OPTIONS', `fixture extraProxyAddresses must be an integer from 0 to ${MAX_EXTRA_PROXY_ADDRESSES}, got ${extraProxyAddresses}`);
  }
  return { ...options, seed, extraProxyAddresses };
}

/** `OU=<ou>,DC=contoso,DC=local`. */
export function fixtureOuDn(ou: string): string {
  return `OU=${ou},${FIXTURE_BASE_DN}`;
}

/** The exact object counts {@link generateFixtureLdif} produces for these options. */
export function fixtureCounts(options: FixtureOptions): FixtureCounts {
  const { users, groups, contacts, computers } = validate(options);
  const organizationalUnits = 1 + SUB_OUS.length;
  return { users, groups, contacts, computers, organizationalUnits, total: users + groups + contacts + computers + organizationalUnits };
}

/**
 * The description the fixture OU carries once its LDIF was applied to the end: the last record
 * sets it, so a fixture whose seeding stopped halfway is recognizable (and rebuilt by
 * ensureFixture).
 */
export function fixtureMarker(options: FixtureOptions): string {
  const o = validate(options);
  // Fixtures without extra proxy addresses keep the marker they always had.
  const extra = o.extraProxyAddresses > 0 ? ` extraProxyAddresses=${o.extraProxyAddresses}` : '';
  return `syncready-fixture/1 seed=${o.seed} users=${o.users} groups=${o.groups} contacts=${o.contacts} computers=${o.computers}${extra}`;
}

/** 4 base-36 characters from the OU name (FNV-1a), so fixtures never share a sAMAccountName. */
function tagFor(ou: string): string {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(ou.toLowerCase(), 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return (hash % 36 ** 4).toString(36).padStart(4, '0');
}

/**
 * A deterministic LDIF that creates OU=<ou> with sub-OUs and the requested numbers of users,
 * groups, contacts and computers, shaped like a messy customer forest that had Exchange:
 * non-ASCII and CJK names (base64 `::` values), multi-valued proxyAddresses, UPNs on the
 * non-routable contoso.local and on contoso.com, deliberate duplicates and malformed values,
 * security and distribution groups with members, and computers with operating systems and
 * self-signed userCertificate values. Records are ordered for `samba-dc seed`: OUs, then
 * objects, then groups, then modify records (nesting, and the completion marker last).
 */
export function generateFixtureLdif(options: FixtureOptions): FixtureLdif {
  const o = validate(options);
  const random = new SeededRandom(o.seed);
  const ouDn = fixtureOuDn(o.ou);
  const [usersDn, groupsDn, contactsDn, computersDn] = SUB_OUS.map((name) => `OU=${name},${ouDn}`) as [string, string, string, string];
  const ctx: FixtureContext = {
    random,
    tag: tagFor(o.ou),
    ouDn,
    usersDn,
    groupsDn,
    contactsDn,
    computersDn,
    certificateKey: certificateKey(random.bytes(32)),
    extraProxyAddresses: o.extraProxyAddresses,
  };
  const marker = fixtureMarker(o);

  const parts: string[] = ['version: 1\n\n'];
  parts.push(ldifAddRecord(ouDn, [['objectClass', 'organizationalUnit'], ['description', 'syncready-fixture/1 incomplete: seeding did not finish']]));
  for (const [i, name] of SUB_OUS.entries()) {
    parts.push(ldifAddRecord([usersDn, groupsDn, contactsDn, computersDn][i] as string, [['objectClass', 'organizationalUnit'], ['ou', name]]));
  }
  const users = buildUsers(ctx, o.users);
  const contacts = buildContacts(ctx, o.contacts, users.recipients);
  const computers = buildComputers(ctx, o.computers);
  const groups = buildGroups(ctx, o.groups, {
    users: users.recipients.map((r) => r.dn),
    contacts: contacts.recipients.map((r) => r.dn),
    computers: computers.dns,
  });
  parts.push(...users.records, ...contacts.records, ...computers.records, ...groups.records, ...groups.nesting);
  parts.push(ldifModifyRecord(ouDn, [{ op: 'replace', attribute: 'description', values: [marker] }]));
  return { ldif: parts.join(''), ouDn, marker, counts: fixtureCounts(o) };
}
