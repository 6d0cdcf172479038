import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';

/**
 * The schema compilers of every server this process builds. Compiling the routes' schemas (a few
 * hundred validators and serialisers) is most of what building a server costs, and it is the same
 * work for every server of one process: the tests build many, `aurora serve` one.
 *
 * Validators: @fastify/ajv-compiler's own pool, shared, so that servers of one process use one Ajv
 * instance, which keeps what it compiled by schema object (the routes' schemas are module
 * constants). Fastify takes a given validator compiler as custom and then compiles header schemas
 * as written instead of with their names lower-cased first: header names in route schemas must be
 * written in lower case (as Node hands them over), which adding a route checks.
 *
 * Serialisers: fast-json-stringify's selector, its compiled functions kept by schema object (they
 * are pure functions of the schema and the options).
 */
const pooledValidators = AjvCompiler();

const buildValidator: AjvCompiler.ValidatorFactory = (externalSchemas, options) => {
  const compile = pooledValidators(externalSchemas, options);
  return (route) => {
    if (route.httpPart === 'headers') assertLowerCaseHeaderNames(route.schema, `${route.method} ${route.url}`);
    return compile(route);
  };
};

/** Header names that are not all lower case would never match (see above): the route is refused when it is added. */
function assertLowerCaseHeaderNames(schema: unknown, route: string) {
  const properties = (schema as { properties?: Record<string, unknown> } | null)?.properties ?? {};
  const named = Object.keys(properties).filter((name) => name !== name.toLowerCase());
  if (named.length > 0) throw new Error(`${route}: header names in a route's schema are written in lower case (${named.join(', ')})`);
}

const serializerFactories = new Map<string, SerializerSelector.SerializerCompiler>();
const selectSerializer = SerializerSelector();

const buildSerializer: SerializerSelector.SerializerFactory = (externalSchemas, options) => {
  const key = JSON.stringify([externalSchemas ?? null, options ?? null]);
  let compile = serializerFactories.get(key);
  if (!compile) {
    const compileAnew = selectSerializer(externalSchemas, options);
    const compiled = new WeakMap<object, SerializerSelector.Serializer>();
    compile = (route) => {
      const schema = route.schema;
      if (typeof schema !== 'object' || schema === null) return compileAnew(route);
      let serializer = compiled.get(schema);
      if (!serializer) compiled.set(schema, (serializer = compileAnew(route)));
      return serializer;
    };
    serializerFactories.set(key, compile);
  }
  return compile;
};

export const SHARED_SCHEMA_COMPILERS = { buildValidator, buildSerializer };
