/**
 * `npm run demo`: a real agent reads a real (Samba) Active Directory and streams it to a real
 * control plane on SQLite. Prints where to look and what arrived.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureFixture, readDcConnection } from '@syncready/samba-dc';

const ROOT = resolve(__dirname, '..', '..', '..');
const WORK = join(ROOT, '.tmp', 'demo');
const SITE = 'contoso-hq';
const SITE_KEY = 'demo-site-key-change-me-0123456789';
const FIXTURE = { ou: 'Demo-Contoso', users: 400, groups: 80, contacts: 60, computers: 60 };

function step(text: string): void {
  process.stderr.write(`\n==> ${text}\n`);
}

interface FindingRun {
  ruleSet: string;
  findingCount: number;
  summary: { bySeverity: Record<'error' | 'warning' | 'info', number>; byRule: Record<string, number> };
}

/** The checks run right after the commit; wait for them (a few seconds at most here). */
async function waitForFindings(url: string, siteId: string): Promise<FindingRun | undefined> {
  for (let i = 0; i < 300; i++) {
    const body = (await (await fetch(`${url}/api/v1/sites/${siteId}/findings?limit=1`)).json()) as { status: string; run: FindingRun | null };
    if (body.status === 'complete' && body.run) return body.run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const dc = readDcConnection();
  step(`seeding a sample forest under OU=${FIXTURE.ou},${dc.baseDn} (once; kept between runs)`);
  await ensureFixture(FIXTURE);

  step('starting the control plane (SQLite)');
  const storeFile = join(WORK, 'syncready.sqlite');
  const server = spawn(process.execPath, [join(ROOT, 'apps/control-plane/dist/main.js'), 'start', '--port', '0'], {
    env: { ...process.env, SYNCREADY_STORE_FILE: storeFile, SYNCREADY_SITE_KEYS: `${SITE}=${SITE_KEY}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let err = '';
    server.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match?.[1]) resolveUrl(match[1]);
    });
    server.once('exit', (code) => reject(new Error(`the control plane exited with ${code}: ${err}`)));
  });

  step(`running syncready-agent run --once against ${dc.ldapsUrl}`);
  const passwordFile = join(WORK, 'ldap-password');
  writeFileSync(passwordFile, dc.password, { mode: 0o600 });
  const configFile = join(WORK, 'agent.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        server: { url: url.replace(/^http/, 'ws'), siteKey: SITE_KEY, allowInsecure: true },
        ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile, tls: { caFile: dc.caFile }, baseDn: `OU=${FIXTURE.ou},${dc.baseDn}` },
      },
      null,
      2,
    ),
  );
  const code = await new Promise<number | null>((resolveCode) => {
    const agent = spawn(process.execPath, [join(ROOT, 'apps/agent/dist/main.js'), 'run', '--once', '--config', configFile], { stdio: 'inherit' });
    agent.once('exit', resolveCode);
  });
  if (code !== 0) {
    server.kill('SIGTERM');
    throw new Error(`the agent exited with ${code}`);
  }

  const sites = (await (await fetch(`${url}/api/v1/sites`)).json()) as { items: { id: string; name: string }[] };
  const site = sites.items.find((s) => s.name === SITE);
  const summary = (await (await fetch(`${url}/api/v1/sites/${site?.id}/summary`)).json()) as {
    counts: Record<string, number>;
    total: number;
    generation: number;
    lastSnapshotAt: string;
    forest: { defaultNamingContext: string; forestFunctionality: number; schemaObjectVersion: number; upnSuffixes: string[]; dcDnsHostName: string };
  };
  step('summary');
  console.log(`site            ${SITE} (${site?.id}), generation ${summary.generation}, snapshot at ${summary.lastSnapshotAt}`);
  console.log(`forest          ${summary.forest.defaultNamingContext} on ${summary.forest.dcDnsHostName}, forest level ${summary.forest.forestFunctionality}, schema version ${summary.forest.schemaObjectVersion}`);
  console.log(`UPN suffixes    ${summary.forest.upnSuffixes.join(', ') || '(none besides the domain)'}`);
  console.log(`objects         ${summary.total}: ${Object.entries(summary.counts).map(([k, n]) => `${n} ${k}s`).join(', ')}`);
  const findings = await waitForFindings(url, site?.id ?? '');
  if (findings) {
    const { bySeverity, byRule } = findings.summary;
    console.log(`findings        ${findings.findingCount}: ${bySeverity.error} errors, ${bySeverity.warning} warnings, ${bySeverity.info} info (rule set ${findings.ruleSet})`);
    for (const [rule, n] of Object.entries(byRule).sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`                ${String(n).padStart(5)}  ${rule}`);
  }
  console.log(`\nwhere to look   ${url}/api/v1/sites`);
  console.log(`                ${url}/api/v1/sites/${site?.id}/summary`);
  console.log(`                ${url}/api/v1/sites/${site?.id}/objects?class=user&limit=5`);
  console.log(`                ${url}/api/v1/sites/${site?.id}/findings?severity=error`);
  console.log(`                ${url}/api/v1/sites/${site?.id}/findings?format=csv   (IdFix's columns)`);
  console.log(`store           ${storeFile}`);
  console.log(`agent config    ${configFile}`);

  if (process.stdin.isTTY) {
    console.log('\nThe control plane keeps running; press Ctrl-C to stop it.');
    await new Promise<void>((resolveStop) => process.once('SIGINT', () => resolveStop()));
  }
  server.kill('SIGTERM');
  await new Promise((resolveExit) => server.once('exit', resolveExit));
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
