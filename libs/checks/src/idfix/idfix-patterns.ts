/**
 * IdFix 2.6's character sets and address patterns, transcribed from its documented constants.
 * IdFix compiles every pattern with IgnoreCase | CultureInvariant, hence the `i` flags.
 * Each test pattern has a global twin for replacement (a global RegExp keeps `lastIndex`
 * between `test` calls, so the two are kept apart).
 */

/** A character class IdFix both tests for and strips. */
export interface CharacterPattern {
  readonly test: RegExp;
  readonly strip: RegExp;
}

/**
 * .NET's `\s` (without RegexOptions.ECMAScript) is `[\f\n\r\t\v\x85\p{Z}]`, which is not
 * JavaScript's `\s` (JS adds U+FEFF, .NET adds U+0085 NEL). IdFix's classes use this one.
 */
const DOTNET_WHITESPACE = '\\f\\n\\r\\t\\v\\x85\\p{Z}';

function characters(source: string): CharacterPattern {
  const dotnet = source.replaceAll('\\s', DOTNET_WHITESPACE);
  return { test: new RegExp(dotnet, 'iu'), strip: new RegExp(dotnet, 'giu') };
}

/** userPrincipalName: whitespace `\ % & * + / = ? ' { } | < > ( ) ; : , [ ] "` and `äëïöüÿÄËÏÖÜŸ`. */
export const INVALID_UPN = characters('[\\s\\\\%&*+/=?\'{}|<>();:,\\[\\]"äëïöüÿÄËÏÖÜŸ]');
/** proxyAddresses of type smtp: whitespace `< > ( ) ; , [ ] "`. */
export const INVALID_PROXY_SMTP = characters('[\\s<>();,\\[\\]"]');
/** proxyAddresses of other types (SIP:, EUM:, …): the SMTP set minus `;`. */
export const INVALID_PROXY_OTHER = characters('[\\s<>(),\\[\\]"]');
/** X.400 and X.500 proxies: control whitespace (not space) `[ ] " '`. */
export const INVALID_PROXY_X400_X500 = characters('[\\f\\n\\r\\t\\v\\[\\]"\']');
/** targetAddress of type smtp: whitespace `\ < > ( ) ; , [ ] "`. */
export const INVALID_TARGET_SMTP = characters('[\\s\\\\<>();,\\[\\]"]');
/** targetAddress of other types: the SMTP set minus `;`. */
export const INVALID_TARGET_OTHER = characters('[\\s\\\\<>(),\\[\\]"]');
/** sAMAccountName: `\ " | , / [ ] : < > + = ; ? *` (no apostrophe, unlike Microsoft's list). */
export const INVALID_SAM = characters('[\\\\"|,/\\[\\]:<>+=;?*]');
/** mailNickname: leading periods only. */
export const LEADING_PERIODS = characters('^[.]+');

/** Unanchored `smtp:` test IdFix uses to call a value SMTP. */
export const SMTP_MARKER = /smtp:/i;
export const X400_TYPE = /^x\.?400/i;
export const X500_TYPE = /^x\.?500/i;

const ATEXT = "a-z0-9!#$%&'*+/=?^_`{|}~-";
/**
 * .NET's `$` (without RegexOptions.Multiline) matches at the end or before a final `\n`;
 * JavaScript's only at the end.
 */
const DOTNET_END = '(?=\\n?$)';
/** Domain part: `@`, dot-separated labels, a 2–17 letter TLD, end of value. */
export const DOMAIN_PART = new RegExp(`@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:[a-z]{2,17})${DOTNET_END}`, 'i');
/** Local part: dot-atoms from the start up to `@`. */
export const LOCAL_PART = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*@`, 'i');
/** The whole address. */
export const RFC2822_ADDRESS = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+(?:[a-z]{2,17})${DOTNET_END}`, 'i');
/** What the domain-part fix strips. */
export const NOT_DOMAIN_CHARACTER = /[^a-z0-9.-]/gi;
/** What the local-part fix strips. */
export const NOT_LOCAL_CHARACTER = new RegExp(`[^${ATEXT.replace('a-z0-9', 'a-z0-9.')}]`, 'gi');
