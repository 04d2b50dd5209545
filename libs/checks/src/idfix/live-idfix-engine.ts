import { type DirectoryObject } from '@syncready/directory';
import { type Finding } from '../finding';
import { type LiveRuleSetEngine } from '../live-rule-set-engine';
import { type ComposedRule, multiTenantRules } from './idfix-composed-rules';
import { type FirstHolder, type IdFixDuplicates } from './idfix-duplicate-store';
import { checkIdFixObject } from './idfix-engine';
import { GuidsByKey } from './guids-by-key';

/** IdFix compares values per attribute, case-insensitively and in full. */
const keyOf = (attribute: string, value: string): string => `${attribute}\u0000${value.toLowerCase()}`;

/** One held object and what its last check saw. */
interface HeldObject {
  readonly object: DirectoryObject;
  readonly holder: FirstHolder;
  readonly checked: boolean;
  readonly findings: readonly Finding[];
  /** Keys its duplicate tests recorded (fixed by the object alone: chains do not look at other objects). */
  readonly tests: readonly string[];
  /** Keys it asked about (tests and first-holder lookups), and the earlier holder it was told of for each. */
  readonly asked: readonly string[];
  readonly seen: readonly (FirstHolder | undefined)[];
}

/**
 * IdFix's duplicate store as one object sees it when objects are checked in GUID order: an
 * earlier holder is one with a lower GUID, or an earlier value of the same object. Records
 * what was asked and answered, so the answers can be checked again later.
 */
class PositionedDuplicates implements IdFixDuplicates {
  readonly tests = new Set<string>();
  readonly asked = new Map<string, FirstHolder | undefined>();

  constructor(
    private readonly self: FirstHolder,
    private readonly earlierHolder: (key: string, guid: string) => FirstHolder | undefined,
  ) {}

  isDuplicate(attribute: string, value: string): boolean {
    const key = keyOf(attribute, value);
    const earlier = this.earlier(key);
    if (this.tests.has(key)) return true;
    this.tests.add(key);
    return earlier !== undefined;
  }

  firstHolder(attribute: string, value: string): FirstHolder | undefined {
    const key = keyOf(attribute, value);
    const earlier = this.earlier(key);
    return earlier ?? (this.tests.has(key) ? this.self : undefined);
  }

  private earlier(key: string): FirstHolder | undefined {
    const earlier = this.earlierHolder(key, this.self.objectGuid);
    this.asked.set(key, earlier);
    return earlier;
  }
}

/**
 * IdFix's rule set, kept up to date object by object. IdFix's duplicate rule depends on order
 * (the first holder of a value is not flagged, later ones are); this engine takes the order to
 * be ascending objectGuid, the order the store lists a generation in, so its findings equal a
 * full run over the objects in that order. An object's check depends on other objects only
 * through "which lower GUID tested this key first", so after a change only the objects that
 * test or look up a touched key are candidates, and only those whose answers changed are
 * checked again.
 */
export class LiveIdFixEngine implements LiveRuleSetEngine {
  private readonly rules: readonly ComposedRule[];
  private readonly objects = new Map<string, HeldObject>();
  private readonly testers = new GuidsByKey();
  /** Objects that looked up a key they did not test (IdFix's first-holder row). */
  private readonly lookers = new GuidsByKey();
  /** Keys whose testers changed since the last `findings()`. */
  private readonly touched = new Set<string>();
  /** No held GUID is higher (an upper bound: removals leave it). */
  private highest = '';
  checked = 0;
  skipped = 0;

  constructor(ignoreUpn: boolean) {
    this.rules = multiTenantRules(ignoreUpn);
  }

  has(objectGuid: string): boolean {
    return this.objects.has(objectGuid);
  }

  upsert(object: DirectoryObject): void {
    this.remove(object.objectGuid);
    const holder: FirstHolder = { dn: object.distinguishedName, objectGuid: object.objectGuid, commonName: object.attributes['cn']?.[0] ?? '' };
    const held = this.check(object, holder);
    this.objects.set(object.objectGuid, held);
    this.count(held, 1);
    // An object above every held GUID is nobody's earlier holder, so adding it changes no other
    // object's answers: a full run's objects, streamed in GUID order, are each checked once.
    const appended = object.objectGuid > this.highest;
    if (appended) this.highest = object.objectGuid;
    for (const key of held.tests) {
      this.testers.add(key, object.objectGuid);
      if (!appended) this.touched.add(key);
    }
    this.registerLookups(held, 'add');
  }

  remove(objectGuid: string): void {
    const held = this.objects.get(objectGuid);
    if (!held) return;
    this.objects.delete(objectGuid);
    this.count(held, -1);
    for (const key of held.tests) {
      this.testers.remove(key, objectGuid);
      this.touched.add(key);
    }
    this.registerLookups(held, 'remove');
  }

  findings(order: readonly string[]): Finding[] {
    this.recheck();
    const findings: Finding[] = [];
    for (const guid of order) {
      for (const finding of this.objects.get(guid)?.findings ?? []) findings.push(finding);
    }
    return findings;
  }

  /** Checks again every object whose duplicate answers are no longer what it was told. */
  private recheck(): void {
    // An object's answers can only change when a key it asked about gained or lost a tester.
    const candidates = new Set<string>();
    for (const key of this.touched) {
      for (const guid of this.testers.guids(key)) candidates.add(guid);
      for (const guid of this.lookers.guids(key)) candidates.add(guid);
    }
    for (const guid of candidates) {
      const held = this.objects.get(guid);
      if (!held || this.stillTrue(guid, held)) continue;
      this.registerLookups(held, 'remove');
      const again = this.check(held.object, held.holder);
      this.objects.set(guid, again);
      this.registerLookups(again, 'add');
    }
    this.touched.clear();
  }

  /**
   * Every answer the object got is still the answer. Holders are compared by identity: an
   * earlier holder upserted since has a new one, as its DN or cn may have changed.
   */
  private stillTrue(guid: string, held: HeldObject): boolean {
    return held.asked.every((key, i) => this.earlierHolder(key, guid) === held.seen[i]);
  }

  /** The holder of the lowest GUID that tested `key`, when it is lower than `guid`. */
  private earlierHolder(key: string, guid: string): FirstHolder | undefined {
    const first = this.testers.first(key);
    return first !== undefined && first < guid ? this.objects.get(first)?.holder : undefined;
  }

  private check(object: DirectoryObject, holder: FirstHolder): HeldObject {
    const duplicates = new PositionedDuplicates(holder, (key, guid) => this.earlierHolder(key, guid));
    const findings: Finding[] = [];
    const checked = checkIdFixObject(object, this.rules, duplicates, findings);
    return { object, holder, checked, findings, tests: [...duplicates.tests], asked: [...duplicates.asked.keys()], seen: [...duplicates.asked.values()] };
  }

  private registerLookups(held: HeldObject, how: 'add' | 'remove'): void {
    for (const key of held.asked) {
      if (held.tests.includes(key)) continue;
      if (how === 'add') this.lookers.add(key, held.holder.objectGuid);
      else this.lookers.remove(key, held.holder.objectGuid);
    }
  }

  private count(held: HeldObject, sign: 1 | -1): void {
    if (held.checked) this.checked += sign;
    else this.skipped += sign;
  }
}
