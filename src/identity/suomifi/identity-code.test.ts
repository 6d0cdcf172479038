import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { SUOMIFI_ATTRIBUTES, UnusableIdentity, identityFromAttributes } from './attributes.ts';
import { checkCharacter, isValidIdentityCode, parseIdentityCode } from './identity-code.ts';

/**
 * The identity code's check character and the date of birth it carries, against a plain oracle over
 * random dates, century signs and individual numbers; and the mapping of Suomi.fi's attributes.
 */

const SIGNS: Record<number, string[]> = { 1800: ['+'], 1900: ['-', 'Y', 'X', 'W', 'V', 'U'], 2000: ['A', 'B', 'C', 'D', 'E', 'F'] };
const two = (n: number) => String(n).padStart(2, '0');

const birth = fc.date({ min: new Date('1800-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
const code = fc.record({ date: birth, individual: fc.integer({ min: 2, max: 999 }), pick: fc.nat() }).map(({ date, individual, pick }) => {
  const year = date.getUTCFullYear();
  const century = Math.floor(year / 100) * 100;
  const signs = SIGNS[century]!;
  const ddmmyy = `${two(date.getUTCDate())}${two(date.getUTCMonth() + 1)}${two(year % 100)}`;
  const nnn = String(individual).padStart(3, '0');
  const check = '0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(ddmmyy + nnn) % 31]!;
  return { code: `${ddmmyy}${signs[pick % signs.length]}${nnn}${check}`, dateOfBirth: date.toISOString().slice(0, 10) };
});

describe('the personal identity code', () => {
  test('the published test codes are valid, with their dates of birth', () => {
    assert.deepEqual(parseIdentityCode('010280-952L'), { dateOfBirth: '1980-02-01', individualNumber: 952 });
    assert.deepEqual(parseIdentityCode('260991-999R'), { dateOfBirth: '1991-09-26', individualNumber: 999 });
    assert.deepEqual(parseIdentityCode('020365-999P'), { dateOfBirth: '1965-03-02', individualNumber: 999 });
  });

  test('every well-made code is valid and gives its date of birth, whatever its century sign', () => {
    fc.assert(
      fc.property(code, ({ code, dateOfBirth }) => {
        assert.equal(parseIdentityCode(code)?.dateOfBirth, dateOfBirth, code);
      }),
      { numRuns: 500 },
    );
  });

  test('a changed check character, digit or century sign makes a code invalid (or another valid date)', () => {
    fc.assert(
      fc.property(code, fc.integer({ min: 0, max: 10 }), fc.constantFrom(...'0123456789ABCDEFHJKLMNPRSTUVWXY'), ({ code }, at, replacement) => {
        fc.pre(code[at] !== replacement);
        const changed = code.slice(0, at) + replacement + code.slice(at + 1);
        const parsed = parseIdentityCode(changed);
        if (at === 6) {
          // Another century sign: the same day and month of the same two-digit year, in its century.
          if (parsed) assert.equal(parsed.dateOfBirth.slice(2), parseIdentityCode(code)!.dateOfBirth.slice(2));
          return;
        }
        // Any single changed digit or check character changes the number mod 31 or the check: invalid.
        assert.equal(parsed, null, changed);
      }),
      { numRuns: 500 },
    );
  });

  test('malformed codes, impossible dates and individual numbers 000–001 are refused', () => {
    for (const bad of ['', '010280952L', '010280-952l', '010280-952', '010280*952L', '310280-952L', '290201A000', ' 010280-952L'])
      assert.equal(isValidIdentityCode(bad), false, bad);
    // 29 February 2000 is a date; 29 February 1900 is not.
    const leap = `290200A123${checkCharacter('290200', '123')}`;
    assert.equal(parseIdentityCode(leap)?.dateOfBirth, '2000-02-29');
    assert.equal(parseIdentityCode(`290200-123${checkCharacter('290200', '123')}`), null);
    assert.equal(parseIdentityCode(`010280-001${checkCharacter('010280', '001')}`), null);
  });
});

describe("Suomi.fi's attributes as an EidIdentity", () => {
  const A = SUOMIFI_ATTRIBUTES;
  const names = { cn: 'Nordea Demo', givenName: 'Nordea', sn: 'Demo', mail: 'demo@example.fi', 'urn:oid:2.5.4.3': 'Nordea Demo', 'urn:oid:2.5.4.42': 'Nordea', 'urn:oid:2.5.4.4': 'Demo' };

  test('an ordinary person: identity code, derived date of birth, municipality; no names', () => {
    const identity = identityFromAttributes({ [A.identityCode]: '010280-952L', [A.homeMunicipalityCode]: '091', [A.securityDenial]: 'false', ...names }, { levelOfAssurance: 'http://ftn.ficora.fi/2017/loa3' });
    assert.deepEqual(identity, {
      identityCode: '010280-952L',
      source: 'suomifi',
      dateOfBirth: '1980-02-01',
      homeMunicipalityCode: '091',
      securityDenial: false,
      levelOfAssurance: 'http://ftn.ficora.fi/2017/loa3',
    });
    assert.doesNotMatch(JSON.stringify(identity), /Nordea|Demo|demo@/);
  });

  test("another EU country's eID (eIDAS): known by its PersonIdentifier, of age by its DateOfBirth; no names, no municipality", () => {
    const identity = identityFromAttributes(
      { [A.eidasIdentifier]: 'DE/FI/9f3c6a1e4b7d2a8c', [A.dateOfBirth]: '1979-05-17', 'http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName': 'Mustermann', [A.homeMunicipalityCode]: '091', ...names },
      { levelOfAssurance: 'http://eidas.europa.eu/LoA/substantial' },
    );
    assert.deepEqual(identity, { eidasIdentifier: 'DE/FI/9f3c6a1e4b7d2a8c', source: 'suomifi', dateOfBirth: '1979-05-17', securityDenial: false, levelOfAssurance: 'http://eidas.europa.eu/LoA/substantial' });
    assert.doesNotMatch(JSON.stringify(identity), /Mustermann|Nordea|091/);
    // A person with both: the Finnish code identifies them, so they reach the same account as with a Finnish eID.
    assert.equal(identityFromAttributes({ [A.identityCode]: '010280-952L', [A.eidasIdentifier]: 'SE/FI/199001012385' }).identityCode, '010280-952L');
    for (const bad of ['9f3c6a1e', 'de/fi/x', 'DE/FI/', 'DE/FI/has space', `DE/FI/${'x'.repeat(257)}`])
      assert.throws(() => identityFromAttributes({ [A.eidasIdentifier]: bad }), UnusableIdentity, bad);
    assert.throws(() => identityFromAttributes({ [A.dateOfBirth]: '1979-05-17' }), /neither a personal identity code nor an eIDAS identifier/);
  });

  test('a security denial keeps the municipality out, whatever its value says', () => {
    for (const denial of ['true', 'TRUE', '1', 'yes', 'unknown']) {
      const identity = identityFromAttributes({ [A.identityCode]: '260991-999R', [A.homeMunicipalityCode]: '837', [A.securityDenial]: denial });
      assert.equal(identity.securityDenial, true, denial);
      assert.equal(identity.homeMunicipalityCode, undefined, denial);
      assert.doesNotMatch(JSON.stringify(identity), /837/);
    }
  });

  test('a given date of birth is kept; a municipality that is not three digits is dropped', () => {
    const identity = identityFromAttributes({ [A.identityCode]: '010280-952L', [A.dateOfBirth]: '1980-02-01', [A.homeMunicipalityCode]: 'Helsinki' });
    assert.equal(identity.dateOfBirth, '1980-02-01');
    assert.equal(identity.homeMunicipalityCode, undefined);
    assert.equal(identity.securityDenial, false);
  });

  test('no identity code, an invalid one, or two of them: refused', () => {
    assert.throws(() => identityFromAttributes({ ...names }), UnusableIdentity);
    assert.throws(() => identityFromAttributes({ [A.identityCode]: '010280-952K' }), UnusableIdentity);
    assert.throws(() => identityFromAttributes({ [A.identityCode]: ['010280-952L', '260991-999R'] }), UnusableIdentity);
    fc.assert(
      fc.property(code, fc.constantFrom(...'0123456789ABCDEFHJKLMNPRSTUVWXY'), ({ code }, wrong) => {
        fc.pre(code.at(-1) !== wrong);
        assert.throws(() => identityFromAttributes({ [A.identityCode]: code.slice(0, -1) + wrong }), (e: unknown) => e instanceof UnusableIdentity && !String(e).includes(code.slice(0, 6)));
      }),
      { numRuns: 200 },
    );
  });
});
