import { ATTRIBUTE_NAMES } from '../transfers/attributes.ts';

/**
 * The profile's attributes and their OpenID scopes, as AuroraAI's profile management had them:
 * `<attribute>` lets a service read the attribute (a claim of the same name, only when the person
 * agreed on the consent page) and `store:<attribute>` lets it keep that attribute in the person's
 * profile (PUT /api/v1/profile/attributes/{name} with its access token). The attributes are those of
 * the AuroraAI attribute schema that transfers already validate against (transfers/attributes.ts,
 * copied from the AuroraAI reference; see src/http/auroraai/reference/README.md).
 */
export const PROFILE_ATTRIBUTES: readonly string[] = ATTRIBUTE_NAMES;

export const STORE_PREFIX = 'store:';

export const storeScope = (attribute: string) => `${STORE_PREFIX}${attribute}`;
export const STORE_SCOPES: readonly string[] = PROFILE_ATTRIBUTES.map(storeScope);
/** Reading scopes: one per attribute, named like it. */
export const READ_SCOPES: readonly string[] = PROFILE_ATTRIBUTES;

/** The attribute a `store:` scope names, or undefined for any other scope. */
export function storedAttributeOf(scope: string): string | undefined {
  if (!scope.startsWith(STORE_PREFIX)) return undefined;
  const name = scope.slice(STORE_PREFIX.length);
  return PROFILE_ATTRIBUTES.includes(name) ? name : undefined;
}

export const isProfileAttribute = (name: string) => PROFILE_ATTRIBUTES.includes(name);
