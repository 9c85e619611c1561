"""What the results database holds: the tables `runs`, `drift`, `scores`, `analyses` and
`failures`, and the `campaign_queue` view that marketing automation reads. A change here is also
a new Alembic revision in `store/migrations/versions/` (a test compares the two)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started", DateTime(timezone=True), nullable=False),
    Column("finished", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),  # running · completed · interrupted · failed
    Column("data_origin", Text, nullable=False),
    Column("data_sha256", String(64)),
    Column("model_version", String(200), nullable=False),
    Column("backend", String(200), nullable=False),
    Column("language", String(8), nullable=False),
    Column("min_risk", String(8), nullable=False),
    Column("analysis_limit", Integer),
    Column("budget", Float),
    Column("customers_scored", Integer, nullable=False, default=0),
    Column("customers_eligible", Integer, nullable=False, default=0),
    Column("customers_analysed", Integer, nullable=False, default=0),
    Column("error", Text),
    # Whether the run's customers or scores moved from the model's training data (table
    # `drift`); empty when not measured, with the reason in `drift_note`.
    Column("drift_shifted", Boolean),
    Column("drift_note", Text),
    Column("drift_reference_rows", Integer),  # training customers the reference describes
    # Accuracy the model expects of this run's scores without outcomes (calibrated
    # probabilities: `models/health/accuracy.py`); `estimate_reliable` says it was.
    Column("estimated_roc_auc", Float),
    Column("estimated_brier", Float),
    Column("estimate_reliable", Boolean),
)

#: Outcomes known for customers: from a data file with the Churn column (noted by the run that
#: read it) — what realised accuracy judges earlier runs' scores against. Campaign outcomes live
#: in `outcomes`; both are read as labels.
labels = Table(
    "labels",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("observed_on", Date, primary_key=True),
    Column("source", String(200), primary_key=True),
    Column("churned", Boolean, nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id")),
)

#: Each run's drift: one row per monitored quantity (every feature, the churn score, the
#: expected churn rate, the shares per risk level and value tier) against the model's training
#: data (`models/health/drift.py`).
drift = Table(
    "drift",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("name", String(64), primary_key=True),
    Column("kind", String(24), nullable=False),
    Column("statistic", String(12), nullable=False),  # psi · difference
    Column("value", Float, nullable=False),
    Column("noise", Float, nullable=False),  # what chance alone reaches at these sample sizes
    Column("threshold", Float, nullable=False),
    Column("shifted", Boolean, nullable=False),
    Column("detail", Text, nullable=False),  # JSON: bins and shares, or the two values
)

#: Tasks for a customer's owner, made by a run when the customer crossed into high risk or their
#: churn probability rose fast since the previous run (`models/health/alerts.py`).
risk_alerts = Table(
    "risk_alerts",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),  # entered_high · rose_fast
    Column("probability_before", Float, nullable=False),
    Column("probability_after", Float, nullable=False),
    Column("risk_level_before", String(8), nullable=False),
    Column("risk_level_after", String(8), nullable=False),
    Column("value_tier", String(8), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("status", String(8), nullable=False),  # open · done
    Column("created", DateTime(timezone=True), nullable=False),
    Column("closed", DateTime(timezone=True)),
    Column("closed_by", String(200)),
    Index("risk_alerts_open", "status", "owner"),
)

scores = Table(
    "scores",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    Column("churn_probability", Float, nullable=False),
    Column("risk_level", String(8), nullable=False),
    Column("value_tier", String(8), nullable=False),
    Column("monthly_charges", Float, nullable=False),
    Column("top_driver", String(64), nullable=False),
    Column("top_driver_contribution", Float, nullable=False),
    # From the time-to-churn model; empty when the run had none. Each figure with its 95 %
    # interval and the customers and departures behind it: none is stored alone.
    *(
        Column(f"churn_within_{d}d{end}", Float)
        for d in (30, 90, 180, 365)
        for end in ("", "_low", "_high")
    ),
    Column("support_customers", Integer),
    Column("support_departures", Integer),
    Column("thin_support", Boolean),
    # Empty also when beyond the CLV horizon.
    *(Column(f"median_months_left{end}", Float) for end in ("", "_low", "_high")),
    *(Column(f"clv{end}", Float) for end in ("", "_low", "_high")),
    Column("expected_loss_90d", Float),  # the urgency order within a risk level
    Column("call_this_week", Boolean),
    # What explains a later change (`models/health/history.py`): the base log-odds, every
    # feature's exact contribution and the inputs they came from, as JSON.
    Column("base_logit", Float),
    Column("drivers", Text),
    Column("inputs", Text),
    Index("scores_by_customer", "customer_id", "run_id"),  # one customer's runs
)

analyses = Table(
    "analyses",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    Column("churn_probability", Float, nullable=False),
    Column("risk_level", String(8), nullable=False),
    Column("value_tier", String(8), nullable=False),
    Column("offer_id", String(64)),
    Column("offer_title", Text),
    Column("total_cost", Float),
    Column("expected_value", Float),
    Column("worth_its_cost", Boolean),
    Column("next_step", String(32)),  # models/urgency.py: call_this_week, offer_this_month, …
    *(Column(f"churn_within_90d{end}", Float) for end in ("", "_low", "_high")),
    Column("thin_support", Boolean),
    *(Column(f"clv{end}", Float) for end in ("", "_low", "_high")),
    Column("lifetime_value_saved", Float),
    Column("risk_reduction", Float),  # churn probability before − after the offer (what-if)
    Column("email_subject", Text),
    Column("email_body", Text),
    Column("sms", Text),
    Column("call_script", Text),
    Column("written_by", String(200), nullable=False),
    Column("result_json", Text, nullable=False),
)

#: A campaign: what is offered to whom, by which channels, when, by whom, and its stage
#: (draft → approval → ready → exported → measuring → closed).
campaigns = Table(
    "campaigns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),  # the analyses it draws on
    Column("offers", Text, nullable=False),  # JSON list of offer ids; empty: each one's best
    Column("min_risk", String(8), nullable=False),
    Column("budget", Float),
    Column("channels", Text, nullable=False),  # JSON list: email, sms, call
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("owner", String(200), nullable=False),
    Column("status", String(16), nullable=False),
    Column("holdout_share", Float, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)

#: Who a campaign is for, and who it holds out: assigned by hash when the campaign is made,
#: before anyone sees the list (`models/uplift/control.py`).
campaign_members = Table(
    "campaign_members",
    metadata,
    Column("campaign_id", Integer, ForeignKey("campaigns.id"), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    Column("arm", String(16), nullable=False),  # treated · control
    Column("bucket", Integer, nullable=False),
    Column("offer_id", String(64), nullable=False),
    Column("total_cost", Float, nullable=False),
    Column("churn_probability", Float, nullable=False),
    Column("risk_reduction", Float),
)

#: A person's decision on each treated customer's messages (the analysis graph's `approval`
#: step, whose pause is checkpointed under `thread_id`). `deciding` holds the item while one
#: person's decision is applied, so that of two at once exactly one wins; the texts are what
#: will be sent, as accepted or edited.
approvals = Table(
    "approvals",
    metadata,
    Column("campaign_id", Integer, ForeignKey("campaigns.id"), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    Column("thread_id", String(120), nullable=False, unique=True),
    # pending · deciding · accept · edit · respond · ignore
    Column("status", String(16), nullable=False),
    Column("offer_id", String(64), nullable=False),  # as decided: a reviewer may change it
    Column("claimed_by", String(200)),
    Column("claimed_at", DateTime(timezone=True)),
    Column("decided_by", String(200)),
    Column("decided_at", DateTime(timezone=True)),
    Column("note", Text),
    Column("edited", Text),  # JSON list of the fields the reviewer changed
    Column("refused_edits", Integer, nullable=False, default=0),
    Column("email_subject", Text),
    Column("email_body", Text),
    Column("sms", Text),
    Column("call_script", Text),
)

#: Who an export plans to contact, by which channel and on which day: what the frequency cap
#: counts across campaigns. Exporting a campaign again replaces its own rows.
contacts = Table(
    "contacts",
    metadata,
    Column("campaign_id", Integer, ForeignKey("campaigns.id"), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    Column("channel", String(8), primary_key=True),  # email · sms · call
    Column("planned_on", Date, nullable=False),
    Index("contacts_by_customer", "customer_id", "planned_on"),
)

#: What became of a campaign's customers (imported, or drawn by the simulator), one row per
#: campaign and customer: importing the same file again changes nothing.
outcomes = Table(
    "outcomes",
    metadata,
    Column("campaign_id", Integer, ForeignKey("campaigns.id"), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    Column("outcome", String(16), nullable=False),  # retained · churned
    Column("observed_on", Date, nullable=False),
    Column("source", String(200), nullable=False),  # the file's name, or "simulated (seed N)"
    Column("imported", DateTime(timezone=True), nullable=False),
)

#: Customers a run could not analyse, with the reason; the run goes on without them and a
#: resumed run does not retry them (the same data and model would fail the same way).
failures = Table(
    "failures",
    metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("customer_id", String(64), primary_key=True),
    Column("reason", Text, nullable=False),
)

# What marketing automation reads: the latest completed run's worthwhile offers in the order of
# `models/urgency.py` — high risk before medium before low, then the lifetime value expected to
# leave within 90 days (runs without the time-to-churn model have none), then best expected
# value — cut where the running cost would pass the run's budget (when it has one).
_QUEUE_ORDER = (
    "CASE a.risk_level WHEN 'high' THEN 2 WHEN 'medium' THEN 1 WHEN 'low' THEN 0 ELSE -1 END "
    "DESC, COALESCE(a.churn_within_90d * a.clv, -1) DESC, a.expected_value DESC, a.customer_id"
)
CAMPAIGN_QUEUE = f"""
CREATE VIEW campaign_queue AS
WITH latest AS (
    SELECT id, budget FROM runs WHERE status = 'completed' ORDER BY id DESC LIMIT 1
),
ranked AS (
    SELECT a.run_id, a.customer_id, a.risk_level, a.value_tier, a.churn_probability,
           a.next_step, a.offer_id, a.offer_title, a.total_cost, a.expected_value,
           a.email_subject, a.email_body, a.sms, a.call_script,
           a.churn_within_90d, a.churn_within_90d_low, a.churn_within_90d_high, a.thin_support,
           a.clv, a.clv_low, a.clv_high, a.lifetime_value_saved,
           ROW_NUMBER() OVER (ORDER BY {_QUEUE_ORDER}) AS priority,
           SUM(a.total_cost) OVER (
               ORDER BY {_QUEUE_ORDER} ROWS UNBOUNDED PRECEDING
           ) AS cumulative_cost,
           latest.budget AS budget
    FROM analyses a JOIN latest ON a.run_id = latest.id
    WHERE a.offer_id IS NOT NULL AND a.expected_value > 0
)
SELECT priority, run_id, customer_id, risk_level, value_tier, churn_probability, next_step,
       churn_within_90d, churn_within_90d_low, churn_within_90d_high, thin_support,
       clv, clv_low, clv_high, offer_id, offer_title, total_cost, lifetime_value_saved,
       expected_value, cumulative_cost, email_subject, email_body, sms, call_script
FROM ranked
WHERE budget IS NULL OR cumulative_cost <= budget
"""
