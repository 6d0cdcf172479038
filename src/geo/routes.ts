import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { codeLists } from '../catalogue/codelists.ts';
import { text } from '../catalogue/present.ts';
import { Text } from '../catalogue/schemas.ts';
import { Lang } from '../http/schemas.ts';
import { HttpProblem, badRequest } from '../http/problem.ts';
import { problems } from '../http/schemas.ts';
import { municipalityCentres, nearestMunicipality } from './municipality.ts';

const OUTSIDE = {
  fi: 'Sijainti ei ole Suomessa tai se on liian kaukana kuntien keskuksista. Valitse kunta listasta.',
  sv: 'Platsen ligger inte i Finland eller är för långt från kommunernas centrum. Välj kommunen i listan.',
  en: 'The location is not in Finland or is too far from any municipal centre. Choose the municipality from the list.',
};

/** Coordinates to a municipality, for the citizen app's "use my location". Nothing is stored. */
export const geoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/v1/geo/municipality',
    {
      config: { noStore: true },
      schema: {
        tags: ['catalogue'],
        summary: 'The municipality a point most likely lies in (nearest municipal centre)',
        description:
          'WGS84 latitude and longitude to the municipality whose centre is nearest. Approximate near municipal borders: offer the answer as a choice the person can change. Clients should round the coordinates (two decimals, about a kilometre, is plenty); the server neither stores nor logs them (its access log writes the path without the query string). Centres: GeoNames (CC BY), see data/SOURCES.md. 404 outside Finland.',
        querystring: Type.Object(
          {
            lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude, WGS84 degrees' }),
            lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude, WGS84 degrees' }),
            lang: Type.Optional(Lang),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            code: Type.String({ description: 'Statistics Finland municipality code (2023)' }),
            name: Text,
            distance_km: Type.Number({ description: "Distance to the municipality's centre, km (one decimal)" }),
            method: Type.Literal('nearest-municipal-centre'),
            approximate: Type.Literal(true),
            attribution: Type.String(),
          }),
          ...problems(400, 404),
        },
      },
    },
    async (request, reply) => {
      const { lat, lon, lang } = request.query;
      // Ajv's number coercion lets "1e999" through as Infinity.
      if (!Number.isFinite(lat) || !Number.isFinite(lon))
        throw badRequest('the querystring is not valid', [{ field: Number.isFinite(lat) ? 'lon' : 'lat', message: 'must be a finite number' }]);
      const found = nearestMunicipality(lat, lon);
      if (!found) throw new HttpProblem(404, 'outside-finland', 'No municipality here', OUTSIDE[lang ?? 'en']);
      const municipality = codeLists().municipalities.find((m) => m.code === found.code);
      return {
        code: found.code,
        name: municipality ? text(municipality.name, lang) : null,
        distance_km: Math.round(found.distanceKm * 10) / 10,
        method: 'nearest-municipal-centre' as const,
        approximate: true as const,
        attribution: `Municipal centres: ${municipalityCentres().source}, CC BY`,
      };
    },
  );
};
