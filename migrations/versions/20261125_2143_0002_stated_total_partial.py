"""A stated total can be partial: the document lists only some of its parts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:43:17.824415
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('stated_totals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partial', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('stated_totals', schema=None) as batch_op:
        batch_op.drop_column('partial')

