"""Accounts that can log in, login sessions and attempts, links kept as history, a version per edited record.

Existing users get no e-mail address and no password, so none of them can log in until
`tracker user create` or `tracker user set-password` gives one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 11:00:27.719611
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('attempted_dt', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempts_address', ['address', 'attempted_dt'], unique=False)
        batch_op.create_index('ix_login_attempts_email', ['email', 'attempted_dt'], unique=False)

    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_dt', sa.DateTime(), nullable=False),
    sa.Column('last_seen_dt', sa.DateTime(), nullable=False),
    sa.Column('ended_dt', sa.DateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_sessions_token_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_login_sessions_user', ['user_id', 'ended_dt'], unique=False)

    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_dt', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('removed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('removal_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_links_removed_by_id_users'), 'users', ['removed_by_id'], ['id'])

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('stated_totals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('password_hash', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_users_email'), ['email'])



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_email'), type_='unique')
        batch_op.drop_column('active')
        batch_op.drop_column('password_hash')
        batch_op.drop_column('email')

    with op.batch_alter_table('stated_totals', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('programmes', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('links', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_links_removed_by_id_users'), type_='foreignkey')
        batch_op.drop_column('removal_reason')
        batch_op.drop_column('removed_by_id')
        batch_op.drop_column('removed_dt')

    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_login_sessions_user')

    op.drop_table('login_sessions')
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_email')
        batch_op.drop_index('ix_login_attempts_address')

    op.drop_table('login_attempts')
