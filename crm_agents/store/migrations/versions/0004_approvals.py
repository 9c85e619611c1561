"""Approvals: a person's decision on each treated customer's messages.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approvals",
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), primary_key=True),
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("thread_id", sa.String(120), nullable=False, unique=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("offer_id", sa.String(64), nullable=False),
        sa.Column("claimed_by", sa.String(200)),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("note", sa.Text),
        sa.Column("edited", sa.Text),
        sa.Column("refused_edits", sa.Integer, nullable=False),
        sa.Column("email_subject", sa.Text),
        sa.Column("email_body", sa.Text),
        sa.Column("sms", sa.Text),
        sa.Column("call_script", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("approvals")
