import Type from 'typebox';

/** Schema pieces more than one domain's routes take; one definition keeps the published API consistent. */

/** fi, sv or en: the languages the network's texts come in. */
export const Language = Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')]);

/** The `lang` parameter of the catalogue and the recommender: a language, with what choosing one does. */
export const Lang = Type.Union([Type.Literal('fi'), Type.Literal('sv'), Type.Literal('en')], {
  description: 'Texts as plain strings in this language (falling back to another the source has); without it, texts are {fi, sv, en} objects.',
});

export const Uuid = Type.String({ format: 'uuid', description: 'UUID, as PTV uses' });

/** An API client's public id. */
export const CLIENT_ID_PATTERN = '^aur_[A-Za-z0-9_-]{1,100}$';
export const ClientId = Type.String({ pattern: CLIENT_ID_PATTERN });

/** 32 random bytes, base64url: transfer tokens, consent keys and person keys alike. */
export const SECRET_PATTERN = '^[A-Za-z0-9_-]{43}$';
export const Secret = (description: string) => Type.String({ pattern: SECRET_PATTERN, description });

/** What a person's browser sends as `Authorization: Bearer <person key>`. */
export const PERSON_KEY_PATTERN = SECRET_PATTERN;

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details' },
);

/** The error answers a route can give, for its OpenAPI description. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}
