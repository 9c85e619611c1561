"""Contacts: who an export plans to contact, by which channel and when (the frequency cap).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), primary_key=True),
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("channel", sa.String(8), primary_key=True),
        sa.Column("planned_on", sa.Date, nullable=False),
    )
    op.create_index("contacts_by_customer", "contacts", ["customer_id", "planned_on"])


def downgrade() -> None:
    op.drop_index("contacts_by_customer", "contacts")
    op.drop_table("contacts")
