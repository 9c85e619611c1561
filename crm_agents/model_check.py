"""At start-up: is the saved model the one for the data in use? Train it when it is missing or
was trained on other data (saying so), or refuse with the exact command when retraining is off.
The time-to-churn model is checked the same way, but is optional: without it the product runs
without "when" and lifetime value, and says so.

Once a person has approved a model (`crm-agents models`), other data never replaces it
silently: it is kept and the message says how to retrain under approval.

A model file that fails its integrity checks (hash, trusted types) is never silently replaced:
that is a security event, reported as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from core.i18n import Phrase, t
from core.settings import Settings
from data.loading import CustomerData, DataOrigin
from models.churn.model import ChurnModel
from models.churn.persistence import (
    CARD_FILE,
    ModelArtifactError,
    ModelCard,
    load_card,
    load_model,
    save_model,
)
from models.churn.training import train
from models.health.drift import DriftReference
from models.health.reference import describe_training_data, load_reference, save_reference
from models.health.registry import REGISTRY_FILE
from models.survival.card import (
    RETRAIN_SURVIVAL,
    SurvivalCard,
    SurvivalStaleError,
    fit_champion,
    load_survival,
    save_survival,
)
from models.survival.evaluation import evaluate_survival

Say = Callable[[str], None]


def same_data(trained_on: DataOrigin, in_use: DataOrigin) -> bool:
    if trained_on.kind != in_use.kind:
        return False
    if in_use.kind == "file":
        return trained_on.sha256 == in_use.sha256
    return (trained_on.seed, trained_on.rows) == (in_use.seed, in_use.rows)


def _retrain_command(data: CustomerData) -> str:
    origin = data.origin
    return "crm-agents train" + (f" --data {origin.path}" if origin.kind == "file" else "")


def stale_reason(card: ModelCard | None, data: CustomerData) -> Phrase | None:
    """Why the saved model does not fit the data in use, or None when it does."""
    if card is None:
        return Phrase("startup.no_model")
    if not same_data(card.dataset, data.origin):
        return Phrase(
            "startup.other_data",
            {"trained_on": card.dataset.describe, "in_use": data.origin.describe},
        )
    return None


def ensure_model(
    data: CustomerData,
    settings: Settings,
    say: Say = print,
    progress: Callable[[str], None] = lambda stage: None,
) -> tuple[ChurnModel, ModelCard]:
    """The saved model for `data`: loaded, or trained first when it is missing or stale."""
    try:
        card: ModelCard | None = load_card(settings.artifacts_dir)
    except ModelArtifactError:
        if (settings.artifacts_dir / CARD_FILE).exists():
            raise  # an unreadable card is reported, not overwritten
        card = None
    reason = stale_reason(card, data)
    if reason is None:
        return load_model(settings.artifacts_dir)
    lang = settings.language
    if card is not None and not data.has_labels:
        say(t("startup.no_labels_saved_model", lang, reason=reason.words(lang)))
        return load_model(settings.artifacts_dir)
    if card is not None and (settings.artifacts_dir / REGISTRY_FILE).exists():
        # A champion under champion/challenger changes only by a person's approval.
        say(t("retrain.kept", lang, model=card.model, reason=reason.words(lang)))
        return load_model(settings.artifacts_dir)
    if not settings.auto_retrain:
        raise ModelArtifactError(
            Phrase("startup.retrain_off", {"reason": reason, "command": _retrain_command(data)})
        )
    say(t("startup.training", lang, reason=reason.words(lang)))
    model, card = train(data, settings, progress)
    card = save_model(model, card, settings.artifacts_dir)
    keep_drift_reference(model, card, data, settings)
    return model, card


def keep_drift_reference(
    model: ChurnModel, card: ModelCard, data: CustomerData, settings: Settings
) -> DriftReference:
    """Describe the data a model was just trained on, beside the model (drift is measured
    against it in every run, when that data is long gone)."""
    reference = describe_training_data(model, data.customers, settings, card.artifact_sha256)
    save_reference(reference, settings.artifacts_dir)
    return reference


def drift_reference(
    model: ChurnModel, card: ModelCard, data: CustomerData, settings: Settings
) -> tuple[DriftReference | None, Phrase | None]:
    """The model's drift reference, made now when missing and the data in use is the data it
    was trained on (a model saved by an earlier release); otherwise None and why."""
    reference = load_reference(settings.artifacts_dir, card.artifact_sha256)
    if reference is not None:
        return reference, None
    if same_data(card.dataset, data.origin):
        return keep_drift_reference(model, card, data, settings), None
    return None, Phrase(
        "drift.no_reference",
        {"trained_on": card.dataset.describe(), "command": _retrain_command(data)},
    )


def ensure_survival(
    data: CustomerData,
    settings: Settings,
    say: Say = print,
    progress: Callable[[str], None] = lambda stage: None,
) -> SurvivalCard | None:
    """The saved time-to-churn model for `data`: loaded, or cross-validated and fitted first
    when it is missing or was trained on other data (as the churn model is). None, said, when
    it cannot be had: no Churn column to learn from, or retraining is off."""
    lang = settings.language
    problem = t("startup.no_survival_model", lang)
    try:  # an unreadable file is reported, not overwritten (as the churn model's)
        card = load_survival(settings.artifacts_dir, data.origin)
        if card is not None:
            return card
    except SurvivalStaleError as err:
        if not data.has_labels:  # another base's model still says when customers like these go
            say(t("startup.survival_used_as_is", lang, problem=err.words(lang)))
            return load_survival(settings.artifacts_dir)
        problem = err.words(lang)
    if not data.has_labels:
        say(t("startup.survival_no_labels", lang, command=RETRAIN_SURVIVAL))
        return None
    if not settings.auto_retrain:
        say(t("startup.survival_off", lang, problem=problem))
        return None
    say(t("startup.survival_fitting", lang, problem=problem))
    progress(t("progress.survival_cross_validating", lang))
    evaluation = evaluate_survival(
        data.customers, settings, tuple(data.origin.simulated_signals), progress=progress
    )
    card = fit_champion(data.customers, evaluation, data.origin)
    save_survival(card, settings.artifacts_dir)
    return card
