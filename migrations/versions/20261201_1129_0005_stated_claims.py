"""Stated claims: a count or amount a document states, checked against what the tracker counts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:29:47.168907
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stated_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('cite', sa.String(length=500), nullable=False),
    sa.Column('claimed', sa.BigInteger(), nullable=False),
    sa.Column('measure', sa.Enum('commitments', 'projects', 'budget_lines', 'amount', name='claim_measure', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('counted_what', sa.String(length=300), nullable=False),
    sa.Column('counted_source_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Enum('deel', 'hoofdstuk', 'afdeling', 'speerpunt', 'engagement', 'actiepunt', 'principe', name='claim_commitment_level', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('project_level', sa.Enum('speerpunt', 'project', 'deelproject', name='claim_project_level', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('total_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['counted_source_id'], ['sources.id'], name=op.f('fk_stated_claims_counted_source_id_sources')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_stated_claims_decision_id_decisions')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_stated_claims_programme_id_programmes')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_stated_claims_source_id_sources')),
    sa.ForeignKeyConstraint(['total_id'], ['stated_totals.id'], name=op.f('fk_stated_claims_total_id_stated_totals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stated_claims')),
    sa.UniqueConstraint('key', name=op.f('uq_stated_claims_key'))
    )
    with op.batch_alter_table('stated_claims', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stated_claims_decision_id'), ['decision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stated_claims_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stated_claims_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stated_claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stated_claims_source_id'))
        batch_op.drop_index(batch_op.f('ix_stated_claims_programme_id'))
        batch_op.drop_index(batch_op.f('ix_stated_claims_decision_id'))

    op.drop_table('stated_claims')
