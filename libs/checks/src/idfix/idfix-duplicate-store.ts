/** The first object seen with a value. */
export interface FirstHolder {
  readonly dn: string;
  readonly objectGuid: string;
  readonly commonName: string;
}

/** What IdFix's duplicate rule asks while an object is checked. */
export interface IdFixDuplicates {
  /** Records `value` for `attribute`; returns true when an earlier object (or earlier value) already had it. */
  isDuplicate(attribute: string, value: string, holder: FirstHolder): boolean;
  /** The first holder of `value` for `attribute` recorded so far, if any. */
  firstHolder(attribute: string, value: string): FirstHolder | undefined;
}

/**
 * IdFix's duplicate store, as a hash index: per attribute name, values compared
 * case-insensitively and in full (including any `smtp:` prefix). The first holder is kept so
 * the report can show it; later holders are the duplicates.
 */
export class IdFixDuplicateStore implements IdFixDuplicates {
  private readonly byAttribute = new Map<string, Map<string, FirstHolder>>();

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

  firstHolder(attribute: string, value: string): FirstHolder | undefined {
    return this.byAttribute.get(attribute)?.get(value.toLowerCase());
  }
}
