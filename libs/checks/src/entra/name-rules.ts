import { type Severity } from '../finding';
import { type FindingBody } from '../object-facts';
import { entraBody, orNull } from './entra-finding';

/** displayName: if present it must not be blank; at most 256 characters. A missing one is fine. */
export function checkDisplayName(value: string, commonName: string): FindingBody[] {
  const base = { attribute: 'displayName', value };
  if (value.trim() === '') {
    return [entraBody({ ...base, ruleId: 'entra.display-name.blank', severity: 'error', errors: ['blank'], suggestedValue: orNull(commonName), message: 'displayName is present but blank; set it to a real name (or clear it).' })];
  }
  if (value.length > 256) {
    return [entraBody({ ...base, ruleId: 'entra.display-name.length', severity: 'error', errors: ['length'], suggestedValue: value.slice(0, 256), message: `displayName has ${value.length} characters; Entra allows 256. Shorten it.` })];
  }
  return [];
}

/** givenName: at most 64 characters. */
export function checkGivenName(value: string): FindingBody[] {
  if (value.length <= 64) return [];
  return [entraBody({ attribute: 'givenName', value, ruleId: 'entra.given-name.length', severity: 'error', errors: ['length'], suggestedValue: value.slice(0, 64), message: `givenName has ${value.length} characters; Entra allows 64. Shorten it.` })];
}

/** mailNickname: at most 64 characters and no leading period. */
export function checkMailNickname(value: string): FindingBody[] {
  const base = { attribute: 'mailNickname', value };
  const findings: FindingBody[] = [];
  if (value.length > 64) {
    findings.push(entraBody({ ...base, ruleId: 'entra.mail-nickname.length', severity: 'error', errors: ['length'], suggestedValue: value.slice(0, 64), message: `mailNickname has ${value.length} characters; Entra allows 64. Shorten it.` }));
  }
  if (value.startsWith('.')) {
    findings.push(entraBody({ ...base, ruleId: 'entra.mail-nickname.leading-period', severity: 'error', errors: ['character'], suggestedValue: orNull(value.replace(/^\.+/, '')), message: 'mailNickname begins with a period, which Entra rejects; remove it.' }));
  }
  return findings;
}

/** Microsoft's invalid sAMAccountName characters, apostrophe included. */
const INVALID_SAM = /[[\]\\"|,/:<>+=;?*']/g;

/**
 * sAMAccountName of users: at most 20 characters and no invalid characters. Microsoft notes a
 * user with an invalid sAMAccountName but a valid UPN still syncs, so then it is a warning.
 */
export function checkSamAccountName(value: string, upnValid: boolean): FindingBody[] {
  const severity: Severity = upnValid ? 'warning' : 'error';
  const consequence = upnValid ? 'The user still syncs because its UPN is valid, but fix it' : 'With no valid UPN this blocks the user';
  const base = { attribute: 'sAMAccountName', value, severity };
  const findings: FindingBody[] = [];
  if (value.length > 20) {
    findings.push(entraBody({ ...base, ruleId: 'entra.sam.length', errors: ['length'], suggestedValue: value.slice(0, 20), message: `sAMAccountName has ${value.length} characters; the limit is 20. ${consequence}.` }));
  }
  const stripped = value.replace(INVALID_SAM, '');
  if (stripped !== value) {
    findings.push(entraBody({ ...base, ruleId: 'entra.sam.character', errors: ['character'], suggestedValue: orNull(stripped), message: `sAMAccountName contains characters that are not allowed ([ ] \\ " | , / : < > + = ; ? * '). ${consequence}.` }));
  }
  return findings;
}
