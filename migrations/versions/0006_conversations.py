"""Conversations beyond the survey (issue 23): support tickets, exit interviews, billing-portal
reasons, their messages and themes, the complaint-resolution queue, and the interview email kind.

Revision ID: 0006_conversations
Revises: 0005_winback
Create Date: 2026-12-10 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_conversations'
down_revision = '0005_winback'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('invitation', 'reminder', 'we_fixed_it', 'winback', 'cpr_offer')"
NEW_KINDS = "kind IN ('invitation', 'reminder', 'we_fixed_it', 'winback', 'cpr_offer', 'interview')"


def upgrade():
    op.create_table(
        'conversation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('origin', sa.String(length=16), nullable=False),
        sa.Column('external_id', sa.String(length=128), nullable=True),
        sa.Column('subject', sa.String(length=300), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('resolution', sa.String(length=16), nullable=True),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('interviewer', sa.String(length=200), nullable=True),
        sa.Column('booking_note', sa.Text(), nullable=True),
        sa.Column('invited_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('redacted_text', sa.Text(), nullable=True),
        sa.Column('sentiment', sa.Float(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('ticket', 'interview', 'billing_portal')", name=op.f('ck_conversation_kind_known')),
        sa.CheckConstraint("origin IN ('csv', 'zendesk', 'intercom', 'dashboard', 'stripe', 'demo')",
                           name=op.f('ck_conversation_origin_known')),
        sa.CheckConstraint("status IN ('open', 'closed', 'scheduled', 'held', 'cancelled', 'given')",
                           name=op.f('ck_conversation_status_known')),
        sa.CheckConstraint("resolution IS NULL OR resolution IN ('resolved', 'unresolved')",
                           name=op.f('ck_conversation_resolution_known')),
        sa.ForeignKeyConstraint(['customer_id'], ['departed_customer.id'],
                                name=op.f('fk_conversation_customer_id_departed_customer'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation')),
        sa.UniqueConstraint('origin', 'external_id', name=op.f('uq_conversation_origin_external_id')),
    )
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_opened_at'), ['opened_at'], unique=False)

    op.create_table(
        'conversation_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('author_role', sa.String(length=16), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('body_redacted', sa.Text(), nullable=False),
        sa.CheckConstraint("author_role IN ('customer', 'agent')", name=op.f('ck_conversation_message_author_role_known')),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'],
                                name=op.f('fk_conversation_message_conversation_id_conversation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_message')),
        sa.UniqueConstraint('conversation_id', 'position', name=op.f('uq_conversation_message_conversation_id_position')),
    )

    op.create_table(
        'conversation_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('theme_id', sa.Integer(), nullable=False),
        sa.Column('segment_index', sa.Integer(), nullable=False),
        sa.Column('is_primary', sa.Boolean(), nullable=False),
        sa.Column('confidence', sa.Float(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('confidence >= 0 AND confidence <= 1', name=op.f('ck_conversation_assignment_confidence_fraction')),
        sa.CheckConstraint("source IN ('batch', 'incremental', 'manual')", name=op.f('ck_conversation_assignment_source_known')),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'],
                                name=op.f('fk_conversation_assignment_conversation_id_conversation'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['run_id'], ['analysis_run.id'],
                                name=op.f('fk_conversation_assignment_run_id_analysis_run'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['theme_id'], ['theme.id'],
                                name=op.f('fk_conversation_assignment_theme_id_theme'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_assignment')),
        sa.UniqueConstraint('run_id', 'conversation_id', 'theme_id', 'segment_index',
                            name='uq_conversation_assignment_run_segment'),
    )
    with op.batch_alter_table('conversation_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_assignment_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_assignment_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_assignment_theme_id'), ['theme_id'], unique=False)

    op.create_table(
        'complaint_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=True),
        sa.Column('cause_key', sa.String(length=64), nullable=True),
        sa.Column('owner_team', sa.String(length=32), nullable=True),
        sa.Column('step', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('history', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("step IN ('acknowledge', 'investigate', 'propose', 'follow_up', 'done')",
                           name=op.f('ck_complaint_case_step_known')),
        sa.CheckConstraint("status IN ('open', 'in_progress', 'resolved', 'dropped')",
                           name=op.f('ck_complaint_case_status_known')),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'],
                                name=op.f('fk_complaint_case_conversation_id_conversation'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['customer_id'], ['departed_customer.id'],
                                name=op.f('fk_complaint_case_customer_id_departed_customer'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_case')),
        sa.UniqueConstraint('customer_id', name=op.f('uq_complaint_case_customer_id')),
    )
    with op.batch_alter_table('complaint_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_case_cause_key'), ['cause_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_case_status'), ['status'], unique=False)

    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_email_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_email_kind_known'), NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM outbox_email WHERE kind = 'interview'")
    with op.batch_alter_table('outbox_email', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_outbox_email_kind_known'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_outbox_email_kind_known'), OLD_KINDS)
    op.drop_table('complaint_case')
    op.drop_table('conversation_assignment')
    op.drop_table('conversation_message')
    op.drop_table('conversation')
