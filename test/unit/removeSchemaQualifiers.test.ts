import assert from 'node:assert/strict';
import { removeSchemaQualifiers } from '../../src/db/removeSchemaQualifiers';

const hidden = new Set(['public', 'extensions']);

describe('removeSchemaQualifiers', () => {
  for (const [printed, expected] of [
    ['public.is_member(vendor_id)', 'is_member(vendor_id)'],
    ["(status = 'pending'::public.booking_status)", "(status = 'pending'::booking_status)"],
    ['public.booking_status[]', 'booking_status[]'],
    ['SETOF public.bookings', 'SETOF bookings'],
    ['encode(extensions.gen_random_bytes(6), \'hex\'::text)', "encode(gen_random_bytes(6), 'hex'::text)"],
    ['(EXISTS ( SELECT 1\n   FROM public.members m\n  WHERE (m.vendor_id = bookings.vendor_id)))', '(EXISTS ( SELECT 1\n   FROM members m\n  WHERE (m.vendor_id = bookings.vendor_id)))'],
    ['public."Odd Table".id', '"Odd Table".id'],
    ['(a OPERATOR(public.===) b)', '(a === b)'],
    // Not names in a hidden schema: other schemas, string contents, later name parts, quoted look-alikes.
    ['auth.uid()', 'auth.uid()'],
    ["'public.x'::text", "'public.x'::text"],
    ["'it''s public.x'", "'it''s public.x'"],
    ["E'\\\\' || public.f()", "E'\\\\' || f()"],
    ['t.public', 't.public'],
    ['my_public.f()', 'my_public.f()'],
    ['"Public".f()', '"Public".f()'],
    ['(a OPERATOR(auth.===) b)', '(a OPERATOR(auth.===) b)'],
  ]) {
    it(`${printed} → ${expected}`, () => assert.equal(removeSchemaQualifiers(printed, hidden), expected));
  }

  it('changes nothing when every schema of the path is usable', () => {
    assert.equal(removeSchemaQualifiers('public.f()', new Set()), 'public.f()');
  });
});
