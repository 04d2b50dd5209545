import { kindOf } from './attributes';

describe('kindOf', () => {
  it.each([
    [['top', 'person', 'organizationalPerson', 'user'], 'user'],
    [['top', 'person', 'organizationalPerson', 'user', 'inetOrgPerson'], 'user'],
    [['top', 'person', 'organizationalPerson', 'user', 'computer'], 'computer'],
    [['top', 'group'], 'group'],
    [['top', 'person', 'organizationalPerson', 'contact'], 'contact'],
    [['top', 'organizationalUnit'], undefined],
    [['TOP', 'GROUP'], 'group'],
  ])('%j is %s', (classes, kind) => {
    expect(kindOf(classes)).toBe(kind);
  });
});
