"""Suggested links: a decision and a commitment it may serve, awaiting an editor; dismissed ones are remembered.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 11:55:36.980848
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('suggested_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.Enum('ranker', 'report', name='suggestion_origin', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('state', sa.Enum('open', 'confirmed', 'dismissed', name='suggestion_state', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=True),
    sa.Column('reference_number', sa.Integer(), nullable=True),
    sa.Column('score', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_dt', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_dt', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['analysis_id'], ['sources.id'], name=op.f('fk_suggested_links_analysis_id_sources')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_suggested_links_commitment_id_commitments')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_suggested_links_decided_by_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_suggested_links_decision_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggested_links')),
    sa.UniqueConstraint('decision_id', 'commitment_id', name=op.f('uq_suggested_links_decision_id_commitment_id'))
    )
    with op.batch_alter_table('suggested_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggested_links_commitment_id'), ['commitment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggested_links_decision_id'), ['decision_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('suggested_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggested_links_decision_id'))
        batch_op.drop_index(batch_op.f('ix_suggested_links_commitment_id'))

    op.drop_table('suggested_links')
