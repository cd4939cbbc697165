import { keyConstraintsWithoutIndex } from '../safety/keyConstraintWithoutIndex';
import { defineRule } from './defineRule';

export default defineRule({
  id: 'add_unique_constraint_without_index',
  name: 'Add Unique Constraint Without Index',
  level: 'warning',
  category: 'safety',
  needs: 'M',
  description: 'A pending migration adds a UNIQUE constraint to a table that already holds rows without USING INDEX, so its unique index is built while the ALTER TABLE holds an ACCESS EXCLUSIVE lock and every read and write waits.',
  statementKinds: ['AlterTableStmt'],
  checkStatement(migration) {
    return keyConstraintsWithoutIndex(migration, 'CONSTR_UNIQUE');
  },
});
