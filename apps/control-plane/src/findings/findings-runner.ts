import { createLiveReadinessCheck, createReadinessCheck, type CheckResult, type RuleSetName } from '@syncready/checks';
import { type DirectoryObject } from '@syncready/directory';
import { ALL_ORGANIZATIONS, type AccessScope, type Store } from '@syncready/store';
import { type FindingsWork } from './findings-scheduler';
import { type LiveCheckCache } from './live-check-cache';
import { LiveSiteCheck } from './live-site-check';
import { type SiteChange } from './site-change';

/**
 * Objects per store page while feeding the checks engine. Each page is read and checked
 * without yielding: 1,000 keeps that under a few tens of milliseconds, so agents' acks and
 * closes are not held up by a big site's checks.
 */
const PAGE = 1000;

/** Every object of a site's current generation within `scope`, page by page. */
export async function* currentObjects(store: Store, siteId: string, scope: AccessScope): AsyncIterable<DirectoryObject> {
  let after: string | undefined;
  do {
    const page = await store.objects.listObjects(siteId, { limit: PAGE, ...(after ? { after } : {}) }, scope);
    yield* page.items;
    after = page.nextCursor ?? undefined;
    // The store and the engine are synchronous underneath: give sockets and timers a turn
    // between pages so a big site does not stall every agent session on this process.
    await new Promise((resolve) => setImmediate(resolve));
  } while (after);
}

/** How a site's findings were brought up to date. */
export interface FindingsOutcome {
  readonly result: CheckResult;
  /** The generation checked. */
  readonly generation: number;
  /** `incremental`: only the deltas' objects were checked again; `full`: the whole generation. */
  readonly mode: 'full' | 'incremental';
  /** Why deltas led to a full run (logs). */
  readonly fallback?: string;
}

/**
 * Runs the readiness checks over a site's current generation and stores the findings with it.
 * The engine streams: objects go in a page at a time. With `live`, and when the site fits in
 * it, the same pass builds the site's live check (objects arrive in the store's objectGuid
 * order, the order the live check's result follows) and keeps it for later deltas; otherwise
 * only the engine's value indexes stay in memory.
 */
export async function computeSiteFindings(store: Store, siteId: string, ruleSet: RuleSetName, live?: LiveCheckCache): Promise<CheckResult | undefined> {
  return (await checkSite(store, siteId, ruleSet, live))?.result;
}

/** {@link computeSiteFindings}, with the generation it checked. */
async function checkSite(store: Store, siteId: string, ruleSet: RuleSetName, live?: LiveCheckCache): Promise<{ result: CheckResult; generation: number } | undefined> {
  // The control plane's own work after a commit (or an operator's request already checked
  // against the caller's scope): every organization.
  const summary = await store.objects.summary(siteId, ALL_ORGANIZATIONS);
  live?.take(siteId);
  if (!summary || summary.generation === null) return undefined;
  const options = { ruleSet, ...(summary.forest ? { forest: summary.forest } : {}) };
  let result: CheckResult;
  let built: LiveSiteCheck | undefined;
  if (live?.fits(summary.total)) {
    built = new LiveSiteCheck(summary.generation, ruleSet, createLiveReadinessCheck(options));
    for await (const object of currentObjects(store, siteId, ALL_ORGANIZATIONS)) built.add(object);
    result = built.result();
  } else {
    const check = createReadinessCheck(options);
    for await (const object of currentObjects(store, siteId, ALL_ORGANIZATIONS)) check.add(object);
    result = check.finish();
  }
  await store.findings.saveFindings(summary.generation, { ruleSet, summary: result.summary }, result.findings);
  if (built) live?.put(siteId, built);
  return { result, generation: summary.generation };
}

/** Does one scheduled run's work: a full run, or an update after deltas. */
export async function runSiteFindings(store: Store, siteId: string, ruleSet: RuleSetName, work: FindingsWork, live: LiveCheckCache): Promise<FindingsOutcome | undefined> {
  if (work.kind === 'deltas') return updateSiteFindings(store, siteId, ruleSet, work.changes, live);
  const checked = await checkSite(store, siteId, ruleSet, live);
  return checked && { ...checked, mode: 'full' };
}

/**
 * Brings a site's findings up to date after deltas (in commit order): with the site's live
 * check, only the deltas' objects are checked again; without one (restart, eviction, another
 * rule set, another generation) or whenever the live check may not mirror the store any more,
 * a full run, which rebuilds it. A failed incremental update or save drops the live check and
 * falls back to the full run too.
 */
export async function updateSiteFindings(store: Store, siteId: string, ruleSet: RuleSetName, changes: readonly SiteChange[], live: LiveCheckCache): Promise<FindingsOutcome | undefined> {
  let fallback: string;
  try {
    const incremental = await updateIncrementally(store, siteId, ruleSet, changes, live);
    if (typeof incremental !== 'string') return incremental;
    fallback = incremental;
  } catch (err) {
    fallback = `incremental update failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  const checked = await checkSite(store, siteId, ruleSet, live);
  return checked && { ...checked, mode: 'full', fallback };
}

/** The incremental update, or why it cannot be done. The live check goes back only after a successful save. */
async function updateIncrementally(store: Store, siteId: string, ruleSet: RuleSetName, changes: readonly SiteChange[], live: LiveCheckCache): Promise<FindingsOutcome | string> {
  const held = live.take(siteId);
  if (!held) return 'no live check for the site';
  if (held.ruleSet !== ruleSet) return `the live check runs ${held.ruleSet}`;
  if (changes.some((c) => c.generation !== held.generation)) return `a delta is not on generation ${held.generation}`;
  const summary = await store.objects.summary(siteId, ALL_ORGANIZATIONS);
  if (summary?.generation !== held.generation) return `generation ${held.generation} is no longer current`;
  for (const change of changes) held.apply(change);
  // The counts differ when a later delta is stored already (its request is queued) or the
  // mirror went wrong; either way the store, not the mirror, is the truth.
  if (held.size !== summary.total) return `the live check holds ${held.size} objects, the generation ${summary.total}`;
  const result = held.result();
  await store.findings.saveFindings(held.generation, { ruleSet, summary: result.summary }, result.findings);
  live.put(siteId, held);
  return { result, generation: held.generation, mode: 'incremental' };
}
