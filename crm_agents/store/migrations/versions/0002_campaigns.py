"""Campaigns and their members (treated and control, assigned by hash), and each analysis's
risk reduction (what a campaign expects its offer to do).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("analyses", sa.Column("risk_reduction", sa.Float))
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("offers", sa.Text, nullable=False),
        sa.Column("min_risk", sa.String(8), nullable=False),
        sa.Column("budget", sa.Float),
        sa.Column("channels", sa.Text, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("holdout_share", sa.Float, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "campaign_members",
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), primary_key=True),
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("arm", sa.String(16), nullable=False),
        sa.Column("bucket", sa.Integer, nullable=False),
        sa.Column("offer_id", sa.String(64), nullable=False),
        sa.Column("total_cost", sa.Float, nullable=False),
        sa.Column("churn_probability", sa.Float, nullable=False),
        sa.Column("risk_reduction", sa.Float),
    )


def downgrade() -> None:
    op.drop_table("campaign_members")
    op.drop_table("campaigns")
    with op.batch_alter_table("analyses") as table:
        table.drop_column("risk_reduction")
