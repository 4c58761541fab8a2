"""Titles of the editors: records whose document prints no title, so the editors wrote one.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:42:10.199871
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_by_editors', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_by_editors', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_by_editors', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_by_editors', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('title_by_editors')

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('title_by_editors')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('title_by_editors')

    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_column('title_by_editors')

