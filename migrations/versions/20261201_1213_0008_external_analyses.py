"""External analyses: an analysis (a source) of one commitment, machine-written or not.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:13:07.546048
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('external_analyses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('machine_written', sa.Boolean(), nullable=False),
    sa.Column('origin', sa.String(length=500), nullable=False),
    sa.Column('imported_dt', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_external_analyses_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_external_analyses_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_analyses')),
    sa.UniqueConstraint('source_id', name=op.f('uq_external_analyses_source_id'))
    )
    with op.batch_alter_table('external_analyses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_analyses_commitment_id'), ['commitment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('external_analyses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_analyses_commitment_id'))

    op.drop_table('external_analyses')
