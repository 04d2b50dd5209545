import { type FindingAction, type IdFixErrorName, type Severity } from '../finding';
import { type FindingBody } from '../object-facts';

/** Shorthand for an entra finding body. */
export function entraBody(fields: {
  ruleId: string;
  severity: Severity;
  attribute: string;
  value: string;
  errors?: readonly IdFixErrorName[];
  suggestedValue?: string | null;
  action?: FindingAction;
  message: string;
}): FindingBody {
  return {
    ruleId: fields.ruleId,
    severity: fields.severity,
    attribute: fields.attribute,
    value: fields.value,
    errors: fields.errors ?? [],
    suggestedValue: fields.suggestedValue ?? null,
    action: fields.action ?? 'edit',
    message: fields.message,
  };
}

/** Letters with diacritics become their base letter; other non-ASCII characters are dropped. */
export function toAscii(value: string): string {
  return value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]/g, '');
}

/** True when the value has a character outside printable ASCII. */
export function hasNonAscii(value: string): boolean {
  return /[^\x20-\x7e]/.test(value);
}

/** An empty string means "nothing left to suggest". */
export function orNull(value: string): string | null {
  return value === '' ? null : value;
}
