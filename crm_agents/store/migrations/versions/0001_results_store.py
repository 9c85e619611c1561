"""The results store as of the release that introduced Alembic: runs, scores, analyses and
failures. A new database gets the tables; a database made by an earlier release (no Alembic
version yet, fewer columns) keeps its rows and gains the columns added since, all nullable.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The tables as this revision leaves them (frozen here: later revisions change them, not this).
_frozen = sa.MetaData()
sa.Table(
    "runs",
    _frozen,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished", sa.DateTime(timezone=True)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("data_origin", sa.Text, nullable=False),
    sa.Column("data_sha256", sa.String(64)),
    sa.Column("model_version", sa.String(200), nullable=False),
    sa.Column("backend", sa.String(200), nullable=False),
    sa.Column("language", sa.String(8), nullable=False),
    sa.Column("min_risk", sa.String(8), nullable=False),
    sa.Column("analysis_limit", sa.Integer),
    sa.Column("budget", sa.Float),
    sa.Column("customers_scored", sa.Integer, nullable=False, default=0),
    sa.Column("customers_eligible", sa.Integer, nullable=False, default=0),
    sa.Column("customers_analysed", sa.Integer, nullable=False, default=0),
    sa.Column("error", sa.Text),
)
sa.Table(
    "scores",
    _frozen,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("churn_probability", sa.Float, nullable=False),
    sa.Column("risk_level", sa.String(8), nullable=False),
    sa.Column("value_tier", sa.String(8), nullable=False),
    sa.Column("monthly_charges", sa.Float, nullable=False),
    sa.Column("top_driver", sa.String(64), nullable=False),
    sa.Column("top_driver_contribution", sa.Float, nullable=False),
    *(
        sa.Column(f"churn_within_{d}d{end}", sa.Float)
        for d in (30, 90, 180, 365)
        for end in ("", "_low", "_high")
    ),
    sa.Column("support_customers", sa.Integer),
    sa.Column("support_departures", sa.Integer),
    sa.Column("thin_support", sa.Boolean),
    *(sa.Column(f"median_months_left{end}", sa.Float) for end in ("", "_low", "_high")),
    *(sa.Column(f"clv{end}", sa.Float) for end in ("", "_low", "_high")),
    sa.Column("expected_loss_90d", sa.Float),
    sa.Column("call_this_week", sa.Boolean),
)
sa.Table(
    "analyses",
    _frozen,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("churn_probability", sa.Float, nullable=False),
    sa.Column("risk_level", sa.String(8), nullable=False),
    sa.Column("value_tier", sa.String(8), nullable=False),
    sa.Column("offer_id", sa.String(64)),
    sa.Column("offer_title", sa.Text),
    sa.Column("total_cost", sa.Float),
    sa.Column("expected_value", sa.Float),
    sa.Column("worth_its_cost", sa.Boolean),
    sa.Column("next_step", sa.String(32)),
    *(sa.Column(f"churn_within_90d{end}", sa.Float) for end in ("", "_low", "_high")),
    sa.Column("thin_support", sa.Boolean),
    *(sa.Column(f"clv{end}", sa.Float) for end in ("", "_low", "_high")),
    sa.Column("lifetime_value_saved", sa.Float),
    sa.Column("email_subject", sa.Text),
    sa.Column("email_body", sa.Text),
    sa.Column("sms", sa.Text),
    sa.Column("call_script", sa.Text),
    sa.Column("written_by", sa.String(200), nullable=False),
    sa.Column("result_json", sa.Text, nullable=False),
)
sa.Table(
    "failures",
    _frozen,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("customer_id", sa.String(64), primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
)


def upgrade() -> None:
    bind = op.get_bind()
    _frozen.create_all(bind, checkfirst=True)
    existing = sa.inspect(bind)
    for table in _frozen.sorted_tables:
        present = {c["name"] for c in existing.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present:  # added after the database was made: nullable,
                # as the rows already there have no value for it
                op.add_column(table.name, sa.Column(column.name, column.type))


def downgrade() -> None:
    for table in reversed(_frozen.sorted_tables):
        op.drop_table(table.name)
