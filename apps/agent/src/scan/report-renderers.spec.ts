import type { CheckResult, Finding } from '@syncready/checks';
import { csvField, IDFIX_CSV_HEADER } from '@syncready/checks';
import { renderCsvReport } from './csv-report';
import { InputWarnings } from './input-warnings';
import { renderJsonReport } from './json-report';
import { type ScanReport } from './scan-report';
import { renderTableReport, worstObjects } from './table-report';

function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'idfix.userPrincipalName',
    severity: 'error',
    dn: 'CN=Ann,OU=Staff,DC=contoso,DC=local',
    objectGuid: '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
    objectClass: 'user',
    commonName: 'Ann',
    attribute: 'userPrincipalName',
    value: "ann o'neil@contoso.local",
    errors: ['character', 'topleveldomain', 'domainpart'],
    suggestedValue: 'annoneil@contoso.local',
    action: 'edit',
    message: 'userPrincipalName has invalid characters.',
    ...overrides,
  };
}

const FINDINGS: Finding[] = [
  finding({}),
  finding({ ruleId: 'idfix.mail', attribute: 'mail', value: 'ann@contoso.com', errors: ['duplicate'], suggestedValue: 'ann@contoso.com', action: 'complete', message: 'duplicate' }),
  finding({ dn: 'CN=Smith\\, Bob,DC=contoso,DC=local', commonName: 'Smith, Bob', ruleId: 'idfix.displayName', attribute: 'displayName', value: '', errors: ['blank'], suggestedValue: 'Smith, Bob', message: 'blank' }),
  finding({ dn: 'CN=Grp,DC=contoso,DC=local', commonName: 'Grp', objectClass: 'group', ruleId: 'entra.proxy.x', severity: 'warning', attribute: 'proxyAddresses', value: 'smtp:"q"@contoso.com', errors: [], suggestedValue: null, action: 'remove', message: 'quote' }),
];

function report(findings: Finding[] = FINDINGS, warnings = new InputWarnings()): ScanReport {
  const bySeverity = { error: 0, warning: 0, info: 0 };
  const byRule: Record<string, number> = {};
  for (const f of findings) {
    bySeverity[f.severity]++;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  const result = { findings, summary: { objectsChecked: 3, findings: findings.length, bySeverity, byRule } } as CheckResult;
  return { source: 'export.ldf', ruleSet: 'idfix', objectsRead: 4, result, warnings };
}

describe('CSV (IdFix columns)', () => {
  it("writes IdFix's header and rows (a DN has commas, so it is quoted): enum error names, UPDATE, upper-case PROPOSEDACTION, empty ACTION, CRLF", () => {
    const lines = renderCsvReport(report()).split('\r\n');
    expect(lines).toEqual([
      IDFIX_CSV_HEADER,
      `"CN=Ann,OU=Staff,DC=contoso,DC=local",Ann,user,userPrincipalName,"Character, TopLevelDomain, DomainPart",ann o'neil@contoso.local,annoneil@contoso.local,EDIT,`,
      '"CN=Ann,OU=Staff,DC=contoso,DC=local",Ann,user,mail,Duplicate,ann@contoso.com,ann@contoso.com,COMPLETE,',
      '"CN=Smith\\, Bob,DC=contoso,DC=local","Smith, Bob",user,displayName,Blank,,"Smith, Bob",EDIT,',
      '"CN=Grp,DC=contoso,DC=local",Grp,group,proxyAddresses,,"smtp:""q""@contoso.com",,REMOVE,',
      '',
    ]);
    expect(IDFIX_CSV_HEADER).toBe('DISTINGUISHEDNAME,COMMONNAME,OBJECTCLASS,ATTRIBUTE,ERROR,VALUE,UPDATE,PROPOSEDACTION,ACTION');
  });

  it('quotes only what needs it', () => {
    expect(csvField('plain value')).toBe('plain value');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
  });

  it('is just the header when there is nothing to fix', () => {
    expect(renderCsvReport(report([]))).toBe(`${IDFIX_CSV_HEADER}\r\n`);
  });
});

describe('JSON', () => {
  it('is { findings, summary, warnings } with every Finding field', () => {
    const warnings = new InputWarnings();
    warnings.add({ code: 'LDIF.NON_UTF8', line: 7, dn: 'CN=X', attribute: 'sn', message: 'sn is not UTF-8' });
    const body = JSON.parse(renderJsonReport(report(FINDINGS, warnings)));
    expect(body.findings).toEqual(JSON.parse(JSON.stringify(FINDINGS)));
    expect(body.summary).toEqual({
      objectsChecked: 3, findings: 4, bySeverity: { error: 3, warning: 1, info: 0 },
      byRule: { 'idfix.userPrincipalName': 1, 'idfix.mail': 1, 'idfix.displayName': 1, 'entra.proxy.x': 1 },
      ruleSet: 'idfix', source: 'export.ldf', objectsRead: 4, inputWarnings: 1, inputWarningsByCode: { 'LDIF.NON_UTF8': 1 },
    });
    expect(body.warnings).toEqual([{ code: 'LDIF.NON_UTF8', line: 7, dn: 'CN=X', attribute: 'sn', message: 'sn is not UTF-8' }]);
  });
});

describe('table', () => {
  it('puts the object with the most severe findings first', () => {
    expect(worstObjects(FINDINGS).map((t) => [t.dn, t.counts])).toEqual([
      ['CN=Ann,OU=Staff,DC=contoso,DC=local', { error: 2, warning: 0, info: 0 }],
      ['CN=Smith\\, Bob,DC=contoso,DC=local', { error: 1, warning: 0, info: 0 }],
      ['CN=Grp,DC=contoso,DC=local', { error: 0, warning: 1, info: 0 }],
    ]);
  });

  it('shows totals, counts by rule and severity aligned, then the worst objects; no colours by default', () => {
    const text = renderTableReport(report(), { worstObjects: 2 });
    expect(text).not.toContain('\u001b');
    const lines = text.split('\n');
    expect(lines[0]).toBe('syncready scan of export.ldf (rules: idfix)');
    expect(lines[1]).toBe('4 objects read, 3 objects checked, 4 findings: 3 error, 1 warning, 0 info');
    expect(lines.slice(3, 8)).toEqual([
      'Findings by rule',
      '  RULE                     ERROR  WARNING  INFO  TOTAL',
      '  entra.proxy.x                0        1     0      1',
      '  idfix.displayName            1        0     0      1',
      '  idfix.mail                   1        0     0      1',
    ]);
    expect(text).toContain('Worst objects (2 of 3 objects with findings)');
    expect(text).toContain('      2        0     0  CN=Ann,OU=Staff,DC=contoso,DC=local (user)');
    expect(text).not.toContain('CN=Grp');
  });

  it('colours severities for a terminal', () => {
    expect(renderTableReport(report(), { color: true })).toContain('\u001b[31m3 error\u001b[0m');
  });

  it('lists input warnings with their lines', () => {
    const warnings = new InputWarnings();
    for (let i = 1; i <= 12; i++) warnings.add({ code: 'LDIF.NO_OBJECT_GUID', line: i, dn: `CN=${i}`, attribute: 'objectGUID', message: `CN=${i} has no objectGUID` });
    const text = renderTableReport(report([], warnings));
    expect(text).toContain('Input warnings: 12 (LDIF.NO_OBJECT_GUID 12)');
    expect(text).toContain('  line 10: CN=10 has no objectGUID');
    expect(text).toContain('  ... 2 more (all of them are in --format json)');
    expect(text).not.toContain('Findings by rule');
  });
});
