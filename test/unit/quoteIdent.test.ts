import assert from 'node:assert/strict';
import { loadParser } from '../../src/core/sql/parser';
import { quoteIdent, quoteQualified } from '../../src/core/sql/quoteIdent';

describe('quoteIdent', () => {
  before(() => loadParser());

  it('leaves plain lower-case names and unreserved keywords bare', () => {
    assert.equal(quoteIdent('bookings'), 'bookings');
    assert.equal(quoteIdent('user_id'), 'user_id');
    assert.equal(quoteIdent('name'), 'name');
    assert.equal(quoteIdent('role'), 'role');
  });

  it('quotes upper case, spaces, dashes and keywords that need quotes', () => {
    assert.equal(quoteIdent('Bookings'), '"Bookings"');
    assert.equal(quoteIdent('Owner reads'), '"Owner reads"');
    assert.equal(quoteIdent('uuid-ossp'), '"uuid-ossp"');
    assert.equal(quoteIdent('user'), '"user"');
    assert.equal(quoteIdent('order'), '"order"');
    assert.equal(quoteIdent('between'), '"between"');
    assert.equal(quoteIdent('say "hi"'), '"say ""hi"""');
  });

  it('quotes each part of a qualified name on its own', () => {
    assert.equal(quoteQualified('public', 'Chat Messages'), 'public."Chat Messages"');
  });
});
