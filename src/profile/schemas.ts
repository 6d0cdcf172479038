import Type from 'typebox';

/** The person's profile as the API gives it (GET /api/v1/my/profile, and in the person's export). */
const By = Type.Union([Type.Literal('person'), Type.Literal('service')]);
export const Profile = Type.Object({
  attributes: Type.Array(
    Type.Object({ name: Type.String(), value: Type.Unknown(), updated_at: Type.String({ format: 'date-time' }), updated_by: By, service_name: Type.Optional(Type.String()) }),
  ),
  history: Type.Array(
    Type.Object({
      attribute: Type.String(),
      event: Type.Union([Type.Literal('stored'), Type.Literal('changed'), Type.Literal('removed'), Type.Literal('store-allowed')]),
      by: By,
      service_name: Type.Optional(Type.String()),
      at: Type.String({ format: 'date-time' }),
    }),
    { description: 'Newest first; the 200 latest' },
  ),
});
