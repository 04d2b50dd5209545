/**
 * `npm run demo`: a real agent reads a real (Samba) Active Directory and streams it to a real
 * control plane on SQLite. Prints where to look and what arrived.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureFixture, readDcConnection } from '@syncready/samba-dc';

const ROOT = resolve(__dirname, '..', '..', '..');
const WORK = join(ROOT, '.tmp', 'demo');
const SITE = 'contoso-hq';
const ORG = 'contoso';
const SERVER_BIN = join(ROOT, 'apps/control-plane/dist/main.js');
const AGENT_BIN = join(ROOT, 'apps/agent/dist/main.js');
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
async function waitForFindings(url: string, siteId: string, headers: Record<string, string>): Promise<FindingRun | undefined> {
  for (let i = 0; i < 300; i++) {
    const body = (await (await fetch(`${url}/api/v1/sites/${siteId}/findings?limit=1`, { headers })).json()) as { status: string; run: FindingRun | null };
    if (body.status === 'complete' && body.run) return body.run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

/** Runs a syncready-server admin command on the demo store; its stdout (the secret it printed). */
function serverCommand(args: string[], storeFile: string, allowFailure = false): string {
  try {
    return execFileSync(process.execPath, [SERVER_BIN, ...args], { env: { ...process.env, SYNCREADY_STORE_FILE: storeFile }, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  } catch (err) {
    if (allowFailure) return '';
    throw err;
  }
}

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const dc = readDcConnection();
  step(`seeding a sample forest under OU=${FIXTURE.ou},${dc.baseDn} (once; kept between runs)`);
  await ensureFixture(FIXTURE);

  step('starting the control plane (SQLite)');
  const storeFile = join(WORK, 'syncready.sqlite');
  // A fresh store per run (the forest is what is kept): one organization, one enrollment, one
  // snapshot, whatever earlier versions of the demo left behind.
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${storeFile}${suffix}`, { force: true });
  // The bootstrap credential goes to the server's stderr, which the demo does not show: make
  // an admin credential for this run with the admin command instead.
  const created = spawnSync(
    process.execPath,
    [join(ROOT, 'apps/control-plane/dist/main.js'), 'credential', 'create', '--provider', '--all', '--role', 'admin', '--name', `demo ${new Date().toISOString()}`],
    { env: { ...process.env, SYNCREADY_STORE_FILE: storeFile }, encoding: 'utf8' },
  );
  if (created.status !== 0) throw new Error(`cannot create an API credential: ${created.stderr}`);
  const credential = created.stdout.trim();
  const headers = { authorization: `Bearer ${credential}` };
  const server = spawn(process.execPath, [SERVER_BIN, 'start', '--port', '0'], {
    env: { ...process.env, SYNCREADY_STORE_FILE: storeFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let err = '';
    server.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const match = /listening on (http:\/\/\S+)/.exec(err);
      if (match?.[1]) resolveUrl(match[1]);
    });
    server.once('exit', (code) => reject(new Error(`the control plane exited with ${code}: ${err}`)));
  });

  step(`enrolling the agent into site ${SITE} of organization ${ORG} with a single-use token`);
  // Exists from an earlier run: that is fine.
  serverCommand(['org', 'create', ORG], storeFile, true);
  const token = serverCommand(['token', 'create', '--org', ORG, '--site', SITE, '--expires', '10m'], storeFile);
  const stateDir = join(WORK, 'agent-state');
  // --force: the demo store may be newer than the state directory; plain http on loopback only.
  execFileSync(process.execPath, [AGENT_BIN, 'enroll', '--server', url, '--token', token, '--state-dir', stateDir, '--allow-insecure', '--force'], { stdio: 'inherit' });

  step(`running syncready-agent run --once against ${dc.ldapsUrl}`);
  const passwordFile = join(WORK, 'ldap-password');
  writeFileSync(passwordFile, dc.password, { mode: 0o600 });
  const configFile = join(WORK, 'agent.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        server: { allowInsecure: true },
        stateDir,
        ldap: { url: dc.ldapsUrl, bindDn: dc.bindDn, passwordFile, tls: { caFile: dc.caFile }, baseDn: `OU=${FIXTURE.ou},${dc.baseDn}` },
      },
      null,
      2,
    ),
  );
  const code = await new Promise<number | null>((resolveCode) => {
    const agent = spawn(process.execPath, [AGENT_BIN, 'run', '--once', '--config', configFile], { stdio: 'inherit' });
    agent.once('exit', resolveCode);
  });
  if (code !== 0) {
    server.kill('SIGTERM');
    throw new Error(`the agent exited with ${code}`);
  }

  const sites = (await (await fetch(`${url}/api/v1/sites`, { headers })).json()) as { items: { id: string; name: string }[] };
  const site = sites.items.find((s) => s.name === SITE);
  const summary = (await (await fetch(`${url}/api/v1/sites/${site?.id}/summary`, { headers })).json()) as {
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
  const findings = await waitForFindings(url, site?.id ?? '', headers);
  if (findings) {
    const { bySeverity, byRule } = findings.summary;
    console.log(`findings        ${findings.findingCount}: ${bySeverity.error} errors, ${bySeverity.warning} warnings, ${bySeverity.info} info (rule set ${findings.ruleSet})`);
    for (const [rule, n] of Object.entries(byRule).sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`                ${String(n).padStart(5)}  ${rule}`);
  }
  console.log(`\nAPI credential  ${credential}   (send as: Authorization: Bearer …)`);
  console.log(`where to look   curl -H "Authorization: Bearer $TOKEN" ${url}/api/v1/sites`);
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
