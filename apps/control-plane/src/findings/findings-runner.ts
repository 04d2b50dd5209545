import { createReadinessCheck, type CheckResult, type RuleSetName } from '@syncready/checks';
import { type DirectoryObject } from '@syncready/directory';
import { ALL_ORGANIZATIONS, type AccessScope, type Store } from '@syncready/store';

/** Objects per store page while feeding the checks engine. */
const PAGE = 5000;

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

/**
 * Runs the readiness checks over a site's current generation and stores the findings with it.
 * The engine streams: objects go in a page at a time, only its value indexes stay in memory.
 */
export async function computeSiteFindings(store: Store, siteId: string, ruleSet: RuleSetName): Promise<CheckResult | undefined> {
  // The control plane's own work after a commit (or an operator's request already checked
  // against the caller's scope): every organization.
  const summary = await store.objects.summary(siteId, ALL_ORGANIZATIONS);
  if (!summary || summary.generation === null) return undefined;
  const check = createReadinessCheck({ ruleSet, ...(summary.forest ? { forest: summary.forest } : {}) });
  for await (const object of currentObjects(store, siteId, ALL_ORGANIZATIONS)) check.add(object);
  const result = check.finish();
  await store.findings.saveFindings(summary.generation, { ruleSet, summary: result.summary }, result.findings);
  return result;
}
