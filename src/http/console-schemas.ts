import Type from 'typebox';
import { CLIENT_SCOPES } from '../clients/clients.ts';

/** Request and response schemas of the console API (validation and the OpenAPI document). */

// PostgreSQL text cannot hold U+0000: refused at the door rather than failing in the database.
export const Plain = (maxLength: number, extra: Record<string, unknown> = {}) => Type.String({ minLength: 1, maxLength, pattern: '^[^\\u0000]*$', ...extra });

export const MemberId = Type.String({ format: 'uuid', description: 'A member organisation' });
export const MemberParams = Type.Object({ id: MemberId });
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const LocalText = Type.Object({}, { additionalProperties: true, description: '{fi, sv, en}: the texts there are' });

export const MemberStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('suspended')]);
export const RoleSchema = Type.Union([Type.Literal('network_admin'), Type.Literal('org_admin'), Type.Literal('developer')]);
export const ScopeSchema = Type.Union(CLIENT_SCOPES.map((s) => Type.Literal(s)));

export const StaffSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  member: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), business_id: Type.String(), status: MemberStatusSchema }), Type.Null()]),
  totp_enabled: Type.Boolean(),
});
export const StaffEnvelope = Type.Object({ staff: StaffSchema });

export const StaffListItem = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  totp_enabled: Type.Boolean(),
  created_at: Timestamp,
  last_login_at: NullableTimestamp,
});

export const MemberItemSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  business_id: Type.String(),
  status: MemberStatusSchema,
  contact_name: Type.String(),
  contact_email: Type.String(),
  created_at: Timestamp,
  decided_at: NullableTimestamp,
  decision_reason: Type.Union([Type.String(), Type.Null()]),
  service_count: Type.Integer({ description: "Services that are the member's: verified claims" }),
  pending_claims: Type.Integer({ description: 'Claims that wait for a network administrator' }),
  client_count: Type.Integer(),
});

export const MemberDetailSchema = Type.Object({
  ...MemberItemSchema.properties,
  requested_services: Type.Array(Type.String(), { description: 'Services the application named; linked on approval when still free' }),
  history: Type.Array(
    Type.Object({ at: Timestamp, action: Type.String({ description: 'apply, approve, reject, suspend or reinstate' }), actor: Type.String(), reason: Type.Union([Type.String(), Type.Null()]) }),
  ),
});

export const ChannelSchema = Type.Object({
  channel_id: Type.String(),
  type: Type.String(),
  name: LocalText,
  transfer: Type.Union([Type.Null(), Type.Object({ landing_url: Type.String(), accepts: Type.Array(Type.String()), client_id: Type.String() })]),
  other_services: Type.Array(Type.Object({ service_id: Type.String(), name: LocalText }), {
    description: "Services the channel also serves that are not the member's: while there are any, the channel cannot receive transfers for the member",
  }),
  received_by_other: Type.Boolean({ description: 'Another member, or the network itself, receives transfers on the channel: the member cannot set it up (who is not said)' }),
});
export const ClaimStateSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('pending'), Type.Literal('verified')], { description: 'pending: waits for a network administrator and gives nothing yet' }),
    verification: Type.Union([Type.Literal('business-id'), Type.Literal('creator'), Type.Literal('administrator'), Type.Null()], {
      description: "business-id: the service's organisation has the member's business ID; creator: the member's client created the service; administrator: approved by a network administrator",
    }),
    verified_at: NullableTimestamp,
  },
  { description: "The member's claim on the service" },
);
export const MemberServiceSchema = Type.Object({ service_id: Type.String(), name: LocalText, claim: ClaimStateSchema, channels: Type.Array(ChannelSchema) });
export const ClaimItemSchema = Type.Object({
  ...ClaimStateSchema.properties,
  member_id: Type.String(),
  member_name: Type.String(),
  member_business_id: Type.String(),
  service_id: Type.String(),
  service_name: LocalText,
  service_organisations: Type.Array(Type.Object({ id: Type.String(), name: LocalText, business_id: Type.Union([Type.String(), Type.Null()]) }), {
    description: 'The organisations the catalogue names for the service, with their business IDs where known',
  }),
  created_by_member: Type.Boolean(),
  claimed_at: Timestamp,
  verified_by: Type.Union([Type.String(), Type.Null()]),
});

export const ClientItemSchema = Type.Object({
  client_id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  created_at: Timestamp,
  last_used_at: NullableTimestamp,
  revoked_at: NullableTimestamp,
  suspended_at: NullableTimestamp,
  rate_limit_per_minute: Type.Union([Type.Integer(), Type.Null()], { description: 'Calls a minute as a network administrator set it; null: the default (600 for a member\'s client)' }),
  effective_rate_limit_per_minute: Type.Union([Type.Integer(), Type.Null()], { description: 'Calls a minute the client may make now; null: no limit (an operator\'s client)' }),
});
export const ClientSecretSchema = Type.Object({
  client_id: Type.String(),
  client_secret: Type.String({ description: 'Shown only now: keep it safe' }),
});

export const ReasonBody = Type.Object({ reason: Plain(1000) }, { additionalProperties: false });
export const OptionalReasonBody = Type.Union([Type.Object({ reason: Type.Optional(Plain(1000)) }, { additionalProperties: false }), Type.Null()]);
export const CodeBody = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$', description: 'The six digits the authenticator app shows' }) }, { additionalProperties: false });

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  actor: Type.String(),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  target_name: Type.Union([Type.String(), LocalText, Type.Null()], { description: "What the target is called (a service's or channel's {fi, sv, en} name, a member's name, a staff user's e-mail, a client's name); null when unknown or gone" }),
  member_id: Type.Union([Type.String(), Type.Null()]),
  details: Type.Object({}, { additionalProperties: true }),
});

const CodeAndName = Type.Object({ code: Type.String(), name: LocalText });
export const RequestedServicesSchema = Type.Object({
  business_id: Type.String({ description: "The applicant's business ID, which each service's organisations are compared with" }),
  services: Type.Array(
    Type.Object({
      service_id: Type.String(),
      in_catalogue: Type.Boolean({ description: 'False when the service has left the catalogue since the application' }),
      name: LocalText,
      nationwide: Type.Boolean(),
      municipalities: Type.Array(CodeAndName),
      organisations: Type.Array(
        Type.Object({ id: Type.String(), name: LocalText, business_id: Type.Union([Type.String(), Type.Null()]), matches_applicant: Type.Boolean() }),
      ),
      service_classes: Type.Array(CodeAndName),
      business_id_match: Type.Boolean({ description: "Whether one of the service's catalogue organisations has the applicant's business ID: the claim then verifies itself on approval" }),
      held_by: Type.Union([Type.Object({ member_id: Type.String(), name: Type.String() }), Type.Null()], { description: 'Another member whose verified claim holds the service' }),
    }),
  ),
});
