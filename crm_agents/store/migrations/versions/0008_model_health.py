"""Model health: each run's drift against the model's training data and the run's flag; each
score's base, contributions and inputs (what explains a later change of risk).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("drift_shifted", sa.Boolean))
    op.add_column("runs", sa.Column("drift_note", sa.Text))
    op.add_column("runs", sa.Column("drift_reference_rows", sa.Integer))
    op.add_column("runs", sa.Column("estimated_roc_auc", sa.Float))
    op.add_column("runs", sa.Column("estimated_brier", sa.Float))
    op.add_column("runs", sa.Column("estimate_reliable", sa.Boolean))
    op.create_table(
        "labels",
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("observed_on", sa.Date, primary_key=True),
        sa.Column("source", sa.String(200), primary_key=True),
        sa.Column("churned", sa.Boolean, nullable=False),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id")),
    )
    for name, kind in (("base_logit", sa.Float), ("drivers", sa.Text), ("inputs", sa.Text)):
        op.add_column("scores", sa.Column(name, kind))
    op.create_index("scores_by_customer", "scores", ["customer_id", "run_id"])
    op.create_table(
        "drift",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("statistic", sa.String(12), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("noise", sa.Float, nullable=False),
        sa.Column("threshold", sa.Float, nullable=False),
        sa.Column("shifted", sa.Boolean, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_table(
        "risk_alerts",
        sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("probability_before", sa.Float, nullable=False),
        sa.Column("probability_after", sa.Float, nullable=False),
        sa.Column("risk_level_before", sa.String(8), nullable=False),
        sa.Column("risk_level_after", sa.String(8), nullable=False),
        sa.Column("value_tier", sa.String(8), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed", sa.DateTime(timezone=True)),
        sa.Column("closed_by", sa.String(200)),
    )
    op.create_index("risk_alerts_open", "risk_alerts", ["status", "owner"])


def downgrade() -> None:
    op.drop_table("labels")
    op.drop_index("risk_alerts_open", "risk_alerts")
    op.drop_table("risk_alerts")
    op.drop_table("drift")
    op.drop_index("scores_by_customer", "scores")
    with op.batch_alter_table("scores") as scores:
        for name in ("inputs", "drivers", "base_logit"):
            scores.drop_column(name)
    with op.batch_alter_table("runs") as runs:
        for name in ("estimate_reliable", "estimated_brier", "estimated_roc_auc"):
            runs.drop_column(name)
        runs.drop_column("drift_reference_rows")
        runs.drop_column("drift_note")
        runs.drop_column("drift_shifted")
