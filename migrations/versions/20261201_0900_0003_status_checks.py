"""A commitment's status and its date go together; a "niet gerealiseerd" history row has its reason.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

STATUS_HAS_DATE = ("(status = 'niet_beoordeeld' AND status_since IS NULL)"
                   " OR (status <> 'niet_beoordeeld' AND status_since IS NOT NULL)")


def upgrade() -> None:
    # Bring existing rows in line first: no date without an assessment, and an assessed status takes
    # the date of its latest history row that no correction replaced.
    op.execute("UPDATE commitments SET status_since = NULL WHERE status = 'niet_beoordeeld'")
    op.execute(
        "UPDATE commitments SET status_since = ("
        " SELECT MAX(sc.effective_date) FROM status_changes sc WHERE sc.commitment_id = commitments.id"
        " AND sc.id NOT IN (SELECT c2.corrects_id FROM status_changes c2 WHERE c2.corrects_id IS NOT NULL))"
        " WHERE status <> 'niet_beoordeeld' AND status_since IS NULL"
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_check_constraint('status_has_date', sa.text(STATUS_HAS_DATE))
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'not_realised_has_reason', sa.text("to_status <> 'niet_gerealiseerd' OR reason IS NOT NULL"))


def downgrade() -> None:
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_status_changes_not_realised_has_reason'), type_='check')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_commitments_status_has_date'), type_='check')
