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
  ])('%s', (value, expected) => {
    expect(checkRfc2822(value)).toEqual(expected);
  });

  it('accepts TLDs delegated after IdFix froze its list (documented difference)', () => {
    // IdFix 2.6's domains.txt lacks .app, .shop, .microsoft; the public suffix list has them.
    for (const tld of ['app', 'shop', 'store', 'health', 'law', 'insurance', 'microsoft']) expect(checkRfc2822(`a@b.${tld}`)).toBeUndefined();
  });
});
