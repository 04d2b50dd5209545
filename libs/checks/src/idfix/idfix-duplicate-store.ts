/** The first object seen with a value. */
export interface FirstHolder {
  readonly dn: string;
  readonly objectGuid: string;
  readonly commonName: string;
}

/**
 * IdFix's duplicate store, as a hash index: per attribute name, values compared
 * case-insensitively and in full (including any `smtp:` prefix). The first holder is kept so
 * the report can show it; later holders are the duplicates.
 */
export class IdFixDuplicateStore {
  private readonly byAttribute = new Map<string, Map<string, FirstHolder>>();

  /** Records `value` for `attribute`; returns true when an earlier object already had it. */
  isDuplicate(attribute: string, value: string, holder: FirstHolder): boolean {
    let values = this.byAttribute.get(attribute);
    if (!values) {
      values = new Map();
      this.byAttribute.set(attribute, values);
    }
    const key = value.toLowerCase();
    if (values.has(key)) return true;
    values.set(key, holder);
    return false;
  }

  /** The first holder of `value` for `attribute`, if any object recorded it. */
  firstHolder(attribute: string, value: string): FirstHolder | undefined {
    return this.byAttribute.get(attribute)?.get(value.toLowerCase());
  }
}
