import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import type { DerivedClaims } from '../../identity/accounts/derived-claims.ts';
import { AGE_BANDS, EligibilitySchema, admitsSomeone, eligibilityBlockers, explainEligibility, isEligible, type Condition, type Eligibility } from './eligibility.ts';
import { municipalityName } from './store.ts';

const municipality = fc.constantFrom('491', '091', '049', '179', '837', '853');
const claims: fc.Arbitrary<DerivedClaims> = fc.record(
  { age_band: fc.constantFrom(...AGE_BANDS), adult: fc.boolean(), municipality_code: municipality },
  { requiredKeys: [] },
);
/** Conditions the claims meet: each names the person's own value among others. */
const matching = (c: Required<DerivedClaims>): fc.Arbitrary<Condition[]> =>
  fc.array(
    fc.oneof(
      fc.subarray([...AGE_BANDS]).map((bands) => ({ type: 'age_band' as const, in: [...new Set([c.age_band, ...bands])] as Condition extends { in: infer T } ? T : never })),
      fc.constant({ type: 'adult' as const, equals: c.adult }),
      fc.subarray(['491', '091', '049', '179', '837', '853']).map((codes) => ({ type: 'municipality' as const, in: [...new Set([c.municipality_code, ...codes])] })),
    ),
    { maxLength: 10 },
  ) as fc.Arbitrary<Condition[]>;
const fullClaims = fc.record({ age_band: fc.constantFrom(...AGE_BANDS), adult: fc.boolean(), municipality_code: municipality });

describe('eligibility rules', () => {
  test('a person who meets every condition is eligible, and rules that only name what they have stay valid rules', () => {
    const valid = { Check: (x: unknown) => Value.Check(EligibilitySchema, x) };
    fc.assert(
      fc.property(
        fullClaims.chain((c) => matching(c).map((all_of) => ({ c, rules: { all_of } as Eligibility }))),
        ({ c, rules }) => {
          assert.ok(valid.Check(rules), JSON.stringify(rules));
          assert.equal(isEligible(rules, c), true);
        },
      ),
    );
  });

  test('without the attribute a condition asks about, a person is not eligible', () => {
    fc.assert(
      fc.property(
        fullClaims.chain((c) => matching(c).filter((all) => all.length > 0).map((all_of) => ({ c, all_of }))),
        fc.nat(),
        ({ c, all_of }, pick) => {
          const condition = all_of[pick % all_of.length]!;
          const key = condition.type === 'age_band' ? 'age_band' : condition.type === 'adult' ? 'adult' : 'municipality_code';
          const without: DerivedClaims = { ...c };
          delete without[key];
          assert.equal(isEligible({ all_of }, without), false);
        },
      ),
    );
  });

  test('a value outside a condition\'s list makes a person ineligible, whatever else holds', () => {
    fc.assert(
      fc.property(claims, fc.constantFrom(...AGE_BANDS), (c, band) => {
        const others = AGE_BANDS.filter((b) => b !== band);
        assert.equal(isEligible({ all_of: [{ type: 'age_band', in: others }] }, { ...c, age_band: band }), false);
      }),
    );
  });

  test('no rules admit everyone; a questionnaire condition admits no one and blocks opening', () => {
    fc.assert(fc.property(claims, (c) => assert.equal(isEligible({ all_of: [] }, c), true)));
    const rules: Eligibility = { all_of: [{ type: 'questionnaire', questionnaire: 'kotihoidon-tarve', result: 'tarve' }] };
    fc.assert(fc.property(claims, (c) => assert.equal(isEligible(rules, c), false)));
    assert.deepEqual(eligibilityBlockers(rules), ['eligibility-questionnaire']);
    assert.deepEqual(eligibilityBlockers({ all_of: [{ type: 'adult', equals: true }] }), []);
  });

  test('rules admit someone exactly when some person with consistent claims is eligible; those that admit no one cannot be opened', () => {
    const places = ['491', '091', '049'];
    const anyRules: fc.Arbitrary<Eligibility> = fc.record({
      all_of: fc.array(
        fc.oneof(
          fc.subarray([...AGE_BANDS], { minLength: 1 }).map((b) => ({ type: 'age_band' as const, in: b })),
          fc.boolean().map((equals) => ({ type: 'adult' as const, equals })),
          fc.subarray(places, { minLength: 1 }).map((m) => ({ type: 'municipality' as const, in: m })),
        ),
        { maxLength: 5 },
      ) as fc.Arbitrary<Condition[]>,
    });
    fc.assert(
      fc.property(anyRules, (rules) => {
        // Every person there can be: a band, the adulthood that follows from it, a municipality named or not.
        const someone = AGE_BANDS.some((age_band) => [...places, '179'].some((municipality_code) => isEligible(rules, { age_band, adult: age_band !== '0-17', municipality_code })));
        assert.equal(admitsSomeone(rules), someone);
        assert.deepEqual(eligibilityBlockers(rules), someone ? [] : ['eligibility-nobody']);
      }),
    );
    assert.deepEqual(eligibilityBlockers({ all_of: [{ type: 'adult', equals: false }, { type: 'age_band', in: ['65+'] }] }), ['eligibility-nobody']);
    assert.deepEqual(eligibilityBlockers({ all_of: [{ type: 'municipality', in: ['491'] }, { type: 'municipality', in: ['091'] }] }), ['eligibility-nobody']);
  });

  test('the schema refuses what is not in the language', () => {
    const valid = { Check: (x: unknown) => Value.Check(EligibilitySchema, x) };
    for (const bad of [
      { all_of: [{ type: 'income_below', cents: 100 }] },
      { all_of: [{ type: 'age_band', in: [] }] },
      { all_of: [{ type: 'age_band', in: ['65-'] }] },
      { all_of: [{ type: 'municipality', in: ['4910'] }] },
      { all_of: [{ type: 'adult', equals: 'yes' }] },
      { all_of: [], any_of: [] },
      { all_of: Array.from({ length: 11 }, () => ({ type: 'adult', equals: true })) },
    ])
      assert.equal(valid.Check(bad), false, JSON.stringify(bad));
  });

  test('the rules said in the person\'s language', () => {
    const rules: Eligibility = { all_of: [{ type: 'age_band', in: ['65+'] }, { type: 'municipality', in: ['491'] }] };
    assert.equal(explainEligibility(rules, 'en', municipalityName), 'For people aged 65 or over whose home municipality is Mikkeli.');
    assert.equal(explainEligibility(rules, 'fi', municipalityName), '65 vuotta täyttäneille, joiden kotikunta on Mikkeli.');
    assert.equal(explainEligibility(rules, 'sv', municipalityName), 'För personer som är 65 år eller äldre och vars hemkommun är S:t Michel.');
    const young: Eligibility = { all_of: [{ type: 'age_band', in: ['0-17', '18-29', '65+'] }] };
    assert.equal(explainEligibility(young, 'en', municipalityName), 'For people under 30 or aged 65 or over.');
    assert.equal(explainEligibility(young, 'fi', municipalityName), 'Alle 30-vuotiaille tai 65 vuotta täyttäneille.');
    assert.equal(explainEligibility({ all_of: [{ type: 'adult', equals: false }, { type: 'municipality', in: ['091', '049'] }] }, 'sv', municipalityName), 'För personer som är under 18 år och vars hemkommun är Helsingfors eller Esbo.');
    assert.equal(explainEligibility({ all_of: [] }, 'fi', municipalityName), 'Kaikille.');
    assert.equal(explainEligibility({ all_of: [{ type: 'municipality', in: ['491'] }] }, 'fi', municipalityName), 'Henkilöille, joiden kotikunta on Mikkeli.');
  });
});
