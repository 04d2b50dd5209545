/**
 * Name pools for fixtures: the mix a real multinational forest has, with diacritics, Polish,
 * Nordic, Turkish and Vietnamese letters, apostrophes, multi-word surnames and CJK names.
 * Each name carries the ASCII form an admin would have typed into the UPN and mail address.
 */

/** A given name or surname as displayed, and the ASCII form used in addresses. */
export interface PersonName {
  readonly display: string;
  readonly ascii: string;
}

/** A full name: CJK names are written surname first without a space. */
export interface FullName {
  readonly given: PersonName;
  readonly surname: PersonName;
  readonly displayName: string;
}

const n = (display: string, ascii: string = display.toLowerCase()): PersonName => ({ display, ascii });

export const GIVEN_NAMES: readonly PersonName[] = [
  n('Zoë', 'zoe'), n('Łukasz', 'lukasz'), n('Søren', 'soren'), n('José', 'jose'), n('François', 'francois'),
  n('Björn', 'bjorn'), n('Chloé', 'chloe'), n('Jürgen', 'jurgen'), n('Małgorzata', 'malgorzata'),
  n('Siobhán', 'siobhan'), n('İlker', 'ilker'), n('Dagný', 'dagny'), n('Anaïs', 'anais'), n('Renée', 'renee'),
  n('John'), n('Mary'), n('Ahmed'), n('Priya'), n('Olivia'), n('Liam'), n('Noah'), n('Emma'), n('Fatima'),
  n('Carlos'), n('Mei'), n('Grace'), n('David'), n('Sarah'), n('Michael'), n('Aisha'),
];

export const SURNAMES: readonly PersonName[] = [
  n('Ångström', 'angstrom'), n('Żółć', 'zolc'), n('Kierkegård', 'kierkegard'), n('García', 'garcia'),
  n('Müller', 'muller'), n("O'Brien", 'obrien'), n('Dvořák', 'dvorak'), n('Nguyễn', 'nguyen'),
  n('Øvergaard', 'overgaard'), n('Lefèvre', 'lefevre'), n('Çelik', 'celik'), n('Şahin', 'sahin'),
  n('Schröder', 'schroder'), n('Van der Berg', 'vanderberg'), n('Smith'), n('Johnson'), n('Brown'),
  n('Kowalski'), n('Papadopoulos'), n('Williams'), n('Jones'), n('Taylor'), n('Patel'), n('Khan'),
  n('Rossi'), n('Silva'), n('Novak'), n('Andersen'), n('Murphy'), n('Fischer'),
];

/** CJK names (surname, given) with their romanized forms. */
const CJK: readonly (readonly [PersonName, PersonName])[] = [
  [n('王', 'wang'), n('伟', 'wei')],
  [n('李', 'li'), n('娜', 'na')],
  [n('佐藤', 'sato'), n('花子', 'hanako')],
  [n('김', 'kim'), n('민준', 'minjun')],
  [n('陳', 'chen'), n('美玲', 'meiling')],
  [n('田中', 'tanaka'), n('太郎', 'taro')],
];

function cjk(index: number): FullName {
  const [surname, given] = CJK[index % CJK.length] as readonly [PersonName, PersonName];
  return { given, surname, displayName: `${surname.display}${given.display}` };
}

function western(given: PersonName, surname: PersonName): FullName {
  return { given, surname, displayName: `${given.display} ${surname.display}` };
}

/**
 * The first names every fixture starts with, so even a 5-user fixture shows the hard cases:
 * `Zoë Ångström`, `Łukasz Żółć`, `Søren Kierkegård`, `José García` and `王伟`.
 */
export const SHOWCASE_NAMES: readonly FullName[] = [
  western(n('Zoë', 'zoe'), n('Ångström', 'angstrom')),
  western(n('Łukasz', 'lukasz'), n('Żółć', 'zolc')),
  western(n('Søren', 'soren'), n('Kierkegård', 'kierkegard')),
  western(n('José', 'jose'), n('García', 'garcia')),
  cjk(0),
];

/** A full name from the pools: one in eight is CJK. */
export function pickName(random: { int(max: number): number; chance(p: number): boolean }): FullName {
  if (random.chance(1 / 8)) return cjk(random.int(CJK.length));
  return western(GIVEN_NAMES[random.int(GIVEN_NAMES.length)] as PersonName, SURNAMES[random.int(SURNAMES.length)] as PersonName);
}

export const DEPARTMENTS: readonly string[] = ['Sales', 'Marketing', 'Finance', 'Human Resources', 'IT Operations', 'Engineering', 'Legal', 'Customer Support', 'Facilities', 'Recherche & Développement'];

export const LOCATIONS: readonly string[] = ['Zürich', 'München', 'Kraków', 'São Paulo', 'Tōkyō', '東京', 'Paris', 'Oslo', 'København', 'Seattle', 'London', 'İstanbul'];

/** Partner and vendor domains for contacts (reserved `.example` names). */
export const PARTNER_DOMAINS: readonly string[] = ['fabrikam.example', 'northwind.example', 'adatum.example', 'tailspin.example', 'wingtip.example'];
