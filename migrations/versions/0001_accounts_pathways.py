"""accounts, services, pathways, teams, invitations

Revision ID: 7679cf0e574f
Revises: 
Create Date: 2026-11-23 11:28:38.290351

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7679cf0e574f'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_key_at', ['key', 'at'], unique=False)

    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('bup', 'school_health', 'ppt', 'child_welfare', 'gp', 'other', name='servicekind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('municipality', sa.String(length=80), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_services_name_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('name', name=op.f('uq_services_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('professional', 'young_person', 'parent', 'admin', name='role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('username', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(role IN ('professional', 'admin') AND email IS NOT NULL) OR (role IN ('young_person', 'parent') AND username IS NOT NULL)", name=op.f('ck_users_login_name_for_role')),
    sa.CheckConstraint("locale IS NULL OR locale IN ('nn', 'nb')", name=op.f('ck_users_locale_known')),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_users_name_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('professional_services',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_professional_services_service_id_services'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_professional_services_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'service_id', name=op.f('pk_professional_services'))
    )
    op.create_table('young_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_young_people_name_not_empty')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_young_people_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_young_people')),
    sa.UniqueConstraint('user_id', name=op.f('uq_young_people_user_id'))
    )
    op.create_table('parent_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('parental_responsibility', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_parent_links_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_people.id'], name=op.f('fk_parent_links_young_person_id_young_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parent_links')),
    sa.UniqueConstraint('young_person_id', 'user_id', name='uq_parent_links_person_user')
    )
    with op.batch_alter_table('parent_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parent_links_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_parent_links_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('pathways',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('young_person_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('length(title) > 0', name=op.f('ck_pathways_title_not_empty')),
    sa.ForeignKeyConstraint(['coordinator_id'], ['users.id'], name=op.f('fk_pathways_coordinator_id_users')),
    sa.ForeignKeyConstraint(['young_person_id'], ['young_people.id'], name=op.f('fk_pathways_young_person_id_young_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathways'))
    )
    with op.batch_alter_table('pathways', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathways_young_person_id'), ['young_person_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pathway_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('professional', 'young_person', 'parent', 'admin', name='role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('invitee_name', sa.String(length=120), nullable=False),
    sa.Column('parental_responsibility', sa.Boolean(), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(role = 'parent') = (parental_responsibility IS NOT NULL)", name=op.f('ck_invitations_responsibility_for_parents')),
    sa.CheckConstraint("role IN ('young_person', 'parent')", name=op.f('ck_invitations_invitee_role')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_invitations_created_by_id_users')),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathways.id'], name=op.f('fk_invitations_pathway_id_pathways'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_id'], ['users.id'], name=op.f('fk_invitations_used_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_invitations_code_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_pathway_id'), ['pathway_id'], unique=False)

    op.create_table('pathway_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pathway_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'member_added', 'member_removed', 'invitation_created', 'invitation_redeemed', name='eventkind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('subject_name', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_pathway_events_actor_id_users')),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathways.id'], name=op.f('fk_pathway_events_pathway_id_pathways'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pathway_events'))
    )
    with op.batch_alter_table('pathway_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pathway_events_pathway_id'), ['pathway_id'], unique=False)

    op.create_table('team_members',
    sa.Column('pathway_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_team_members_added_by_id_users')),
    sa.ForeignKeyConstraint(['pathway_id'], ['pathways.id'], name=op.f('fk_team_members_pathway_id_pathways'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_team_members_user_id_users')),
    sa.PrimaryKeyConstraint('pathway_id', 'user_id', name=op.f('pk_team_members'))
    )
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_members_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_members_user_id'))

    op.drop_table('team_members')
    with op.batch_alter_table('pathway_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pathway_events_pathway_id'))

    op.drop_table('pathway_events')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_pathway_id'))

    op.drop_table('invitations')
    with op.batch_alter_table('pathways', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pathways_young_person_id'))

    op.drop_table('pathways')
    with op.batch_alter_table('parent_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_parent_links_young_person_id'))
        batch_op.drop_index(batch_op.f('ix_parent_links_user_id'))

    op.drop_table('parent_links')
    op.drop_table('young_people')
    op.drop_table('professional_services')
    op.drop_table('users')
    op.drop_table('services')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_key_at')

    op.drop_table('login_failures')
