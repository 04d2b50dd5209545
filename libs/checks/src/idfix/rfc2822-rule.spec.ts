import { checkRfc2822 } from './rfc2822-rule';

describe('IdFix RFC 2822 rule', () => {
  it.each([
    ['john@contoso.com', undefined],
    ['SMTP:john@contoso.com', undefined],
    // No dot: the TLD test is skipped, the domain-part and whole-address tests fail.
    ['john@contoso', { errors: ['format', 'domainpart'], updated: 'john@contoso' }],
    // The "TLD" is the text from the last dot, even when that dot is in the local part.
    ['john.smith@contoso', { errors: ['format', 'topleveldomain', 'domainpart'], updated: 'john.smith@contoso' }],
    ['john@contoso.local', { errors: ['topleveldomain'], updated: 'john@contoso.local' }],
    // IDN TLDs were never in IdFix's list and fail the 2–17 letter domain pattern.
    ['john@contoso.xn--p1ai', { errors: ['format', 'topleveldomain', 'domainpart'], updated: 'john@contoso.xn--p1ai' }],
    // Domain-part fix strips [^a-z0-9.-] after the last @.
    ['john@con_toso.com', { errors: ['domainpart'], updated: 'john@contoso.com' }],
    // Local-part fix strips invalid characters and earlier @s, then ".@" → "@".
    ['jo hn@contoso.com', { errors: ['localpart'], updated: 'john@contoso.com' }],
    ['a@b@contoso.com', { errors: ['localpart'], updated: 'ab@contoso.com' }],
    ['john.@contoso.com', { errors: ['localpart'], updated: 'john@contoso.com' }],
    // smtp values keep their prefix (trimmed) in the UPDATE.
    ['smtp:jo hn@contoso.com', { errors: ['localpart'], updated: 'smtp:john@contoso.com' }],
    // No @ at all: no fix is possible for either part.
    ['johncontoso.com', { errors: ['format', 'domainpart', 'localpart'], updated: 'johncontoso.com' }],
    // A combined flags value: TLD flagged, domain part repaired, the repaired address is valid.
    ['john@con_toso.local', { errors: ['topleveldomain', 'domainpart'], updated: 'john@contoso.local' }],
    // Numeric TLDs fail the 2–17 letter domain pattern (and are not in the TLD list).
    ['john@10.0.0.1', { errors: ['format', 'topleveldomain', 'domainpart'], updated: 'john@10.0.0.1' }],
    // Only the text after the last dot is compared: ".edu.au" is never looked up, ".au" is.
    ['john@uni.edu.au', undefined],
    // .NET's $ also matches before a final \n: only the TLD test (".com\n") fails.
    ['john@contoso.com\n', { errors: ['topleveldomain'], updated: 'john@contoso.com\n' }],
    // The smtp: marker is unanchored; the address is the text after the first colon.
    ['x-smtp:john@contoso', { errors: ['format', 'domainpart'], updated: 'x-smtp:john@contoso' }],
  ])('%s', (value, expected) => {
    expect(checkRfc2822(value)).toEqual(expected);
  });

  it.each(['com', 'net', 'org', 'io', 'ai', 'dev', 'cloud', 'swiss', 'africa', 'online', 'tech'])('accepts .%s (in IdFix\'s list)', (tld) => {
    expect(checkRfc2822(`a@b.${tld}`)).toBeUndefined();
    expect(checkRfc2822(`a@b.${tld.toUpperCase()}`)).toBeUndefined();
  });

  it.each(['local', 'lan', 'corp', 'internal'])('flags .%s (correctly absent from IdFix\'s list)', (tld) => {
    expect(checkRfc2822(`a@b.${tld}`)).toEqual({ errors: ['topleveldomain'], updated: `a@b.${tld}` });
  });

  it('accepts TLDs delegated after IdFix froze its list (documented difference)', () => {
    // IdFix 2.6's domains.txt lacks .app, .shop, .microsoft; the public suffix list has them.
    for (const tld of ['app', 'shop', 'store', 'health', 'law', 'insurance', 'microsoft']) expect(checkRfc2822(`a@b.${tld}`)).toBeUndefined();
  });
});
