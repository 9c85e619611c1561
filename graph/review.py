"""Runs paused at approval: opened from a stored analysis, read, and resumed with a decision.

A campaign's customer was analysed by the nightly batch, which stores the result and no
checkpoint (thousands of runs, most never reviewed). When a person opens the customer for
review, `Reviews.open` starts the analysis graph's thread from that result as `communication`
left it (`update_state(..., as_node="communication")`) and runs it to the `approval` pause;
the pause is checkpointed in the store, so any process can resume it with `decide`. The thread
is the customer's analysis from then on: a refused edit leaves it paused with its problems,
and a new offer goes through `communication` again before it pauses anew.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, replace
from typing import Any, get_args, get_type_hints

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command
from pydantic import BaseModel

from agents.context import Context
from agents.kit import Kits
from agents.outputs import CommunicationDraft
from agents.state import AnalysisState
from graph.analysis import AnalysisResult, _result, build_analysis_graph, node_order


class ReviewError(ValueError):
    """A thread that cannot be reviewed (no messages to decide on, or already decided)."""


@dataclass(frozen=True)
class Pending:
    """A run waiting for a person: the interrupt's payload (Agent Inbox's request), with the
    problems of the edit refused last, if any."""

    thread_id: str
    request: dict[str, Any]

    @property
    def problems(self) -> list[str]:
        return list(self.request.get("problems", []))

    @property
    def customer_id(self) -> str:
        return str(self.request["action_request"]["args"]["customer_id"])

    @property
    def draft(self) -> CommunicationDraft:
        """The messages waiting for the decision."""
        args = self.request["action_request"]["args"]
        return CommunicationDraft.model_validate(
            {name: args[name] for name in CommunicationDraft.model_fields}
        )


@dataclass(frozen=True)
class Decided:
    thread_id: str
    result: AnalysisResult


def _config(thread_id: str) -> dict:
    return {"configurable": {"thread_id": thread_id}}


def state_types(schema: type = AnalysisState) -> set[tuple[str, str]]:
    """Every pydantic model the state holds, at any depth: what a checkpoint may rebuild."""
    found: set[tuple[str, str]] = set()

    def visit(annotation: Any) -> None:
        for arg in get_args(annotation):
            visit(arg)
        if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
            key = (annotation.__module__, annotation.__name__)
            if key not in found:
                found.add(key)
                for field in annotation.model_fields.values():
                    visit(field.annotation)

    for annotation in get_type_hints(schema).values():
        visit(annotation)
    return found


def review_graph(kits: Kits, checkpointer: BaseCheckpointSaver) -> Reviews:
    """Reviews over the store's checkpointer, which rebuilds only the state's own types (the
    checkpointer is made strict by `crm_agents/store/checkpoints.py`: nothing else found in a
    checkpoint is imported or run)."""
    saver = checkpointer.with_allowlist(state_types())
    return Reviews(build_analysis_graph(kits, saver), kits)


class Reviews:
    """The analysis graph compiled with the store's checkpointer, driven one thread at a time."""

    def __init__(self, graph: CompiledStateGraph, kits: Kits) -> None:
        if graph.checkpointer is None:
            raise ValueError("reviews need the analysis graph compiled with a checkpointer")
        self.graph = graph
        self.kits = kits
        self.nodes = node_order(graph)

    def _context(self, context: Context | None, language: str) -> Context:
        return replace(context or Context(), review=True, language=language)

    def state(self, thread_id: str) -> Pending | Decided | None:
        """Where the thread is: paused, decided, or not started (None)."""
        return self._where(thread_id, self.graph.get_state(_config(thread_id)))

    def _where(self, thread_id: str, snapshot) -> Pending | Decided | None:
        if not snapshot.values:
            return None
        if snapshot.interrupts:
            return Pending(thread_id, snapshot.interrupts[0].value)
        writer = self.kits.default.writer.describe()
        return Decided(thread_id, _result(snapshot.values, writer, self.nodes))

    def open(
        self, thread_id: str, analysis: AnalysisResult, context: Context | None = None
    ) -> Pending | Decided:
        """The thread's pause; started first from the stored analysis when it has none."""
        found = self.state(thread_id)
        if found is not None:
            return found
        if analysis.communications is None or analysis.campaign is None:
            raise ReviewError(f"{analysis.customer_id} has no messages to approve")
        context = self._context(context, analysis.language)
        kit = self.kits.kit_for(context)
        values = {
            "customer_id": analysis.customer_id,
            "language": analysis.language,
            "profile": kit.service.profile(analysis.customer_id),
            "risk": analysis.risk,
            "reasons": analysis.reasons,
            "campaign": analysis.campaign,
            "communications": analysis.communications,
            "trace": [s for s in analysis.trace if s.status == "ran"],
        }
        config = _config(thread_id)
        self.graph.update_state(config, values, as_node="communication")
        self.graph.invoke(None, config, context=context)
        found = self.state(thread_id)
        assert found is not None
        return found

    def decide(
        self, thread_id: str, response: dict[str, Any], context: Context | None = None
    ) -> Pending | Decided:
        """Resume the paused thread with a person's answer (`ReviewResponse`'s shape). A refused
        answer leaves it paused, with the problems in the returned `Pending`."""
        snapshot = self.graph.get_state(_config(thread_id))
        found = self._where(thread_id, snapshot)
        if found is None:
            raise ReviewError(f"no review thread {thread_id}; open it first")
        if isinstance(found, Decided):
            raise ReviewError(f"{thread_id} is decided already")
        context = self._context(context, snapshot.values["language"])
        self.graph.invoke(Command(resume=response), _config(thread_id), context=context)
        found = self.state(thread_id)
        assert found is not None
        return found
