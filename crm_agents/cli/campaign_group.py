"""`crm-agents campaigns …`: the group, composed from the modules of each step — making and
reading campaigns, approvals, exports and closing, results and uplift."""

from __future__ import annotations

from crm_agents.cli.approvals import approve, pending, reject, submit
from crm_agents.cli.campaigns import app
from crm_agents.cli.exports import close, export
from crm_agents.cli.outcomes import results, uplift

for command in (submit, pending, approve, reject, export, close):
    app.command()(command)
app.command("results")(results)
app.command("uplift")(uplift)

__all__ = ["app"]
