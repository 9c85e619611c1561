"""The `crm-agents` commands, run as a user would, on small synthetic data or the real file."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from survival_cache import place_survival
from typer.testing import CliRunner

from core.settings import Settings
from crm_agents.cli.main import COMMANDS, app
from graph.analysis import AnalysisResult
from tests.cli_env import use_demo_cli

runner = CliRunner()


@pytest.fixture
def bare_env(tmp_path, monkeypatch):
    """Settings for a CLI run on 1,200 demo customers, with no model saved yet."""
    use_demo_cli(tmp_path, monkeypatch)
    return tmp_path


@pytest.fixture
def env(bare_env):
    """`bare_env` with the demo data's time-to-churn model already fitted (see
    `survival_cache`): the tests of other commands do not fit it again."""
    place_survival(Settings())
    return bare_env


def _run(*args):
    return runner.invoke(app, list(args))


def test_prepare_writes_the_feature_file_and_says_the_data_is_synthetic(env):
    result = _run("prepare")
    assert result.exit_code == 0, result.output
    assert "synthetic demo data" in result.output
    written = pd.read_csv(env / "processed" / "churn_features.csv")
    assert len(written) == 1200
    assert {"recent_login_count", "complain_count", "usage_drop_rate"} <= set(written.columns)
    assert written["signals_simulated"].str.contains("usage_drop_rate").all()


def test_train_then_analyze_json(env):
    assert _run("train", "--model", "logistic_splines").exit_code == 0
    result = _run("analyze", "--random", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert list(payload) == list(AnalysisResult.model_fields)
    assert 0 <= payload["risk"]["probability"] <= 1
    assert payload["risk"]["value_tier"] in {"high", "mid", "low"}
    assert "synthetic" in payload["risk"]["data_source"]


def test_analyze_in_chinese_for_an_at_risk_customer(env):
    assert _run("train", "--model", "logistic_splines").exit_code == 0
    listing = _run("score", "--out", str(env / "scores.csv"))
    assert listing.exit_code == 0
    scores = pd.read_csv(env / "scores.csv")
    customer = scores.loc[scores.risk_level == "high", "customerID"].iloc[0]
    result = _run("analyze", customer, "--lang", "zh-TW", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["language"] == "zh-TW"
    assert payload["communications"]["sms"]["length"] <= 70
    assert payload["communications"]["email"]["subject"]


def test_analyze_prints_a_readable_report(env):
    assert _run("train", "--model", "logistic_splines").exit_code == 0
    result = _run("analyze", "--random")
    assert result.exit_code == 0, result.output
    assert "Analyst" in result.stdout and "Reasoning" in result.stdout
    assert "offline writer" in result.stdout
    report = " ".join(result.stdout.split())  # the console wraps long lines
    assert "Chance of leaving within 30 days" in report
    assert "Why these differ from the churn probability" in report


def test_train_if_missing_keeps_an_existing_model(env):
    assert _run("train", "--model", "logistic_baseline").exit_code == 0
    result = _run("train", "--if-missing")
    assert result.exit_code == 0
    assert "already trained on this data: logistic_baseline" in result.output


def test_score_writes_every_customer(env):
    _run("train", "--model", "logistic_splines")
    out = env / "scores.csv"
    result = _run("score", "--out", str(out))
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(out)
    assert len(scores) == 1200
    assert list(scores.columns[:5]) == [
        "customerID",
        "churn_probability",
        "risk_level",
        "value_tier",
        "top_driver",
    ]
    assert scores["churn_probability"].between(0, 1).all()


def test_score_reads_parquet_and_writes_parquet_with_the_same_figures_as_csv(env):
    from data.synthetic import generate_customers

    _run("train", "--model", "logistic_splines")
    base = generate_customers(500, seed=12).drop(columns=["Churn"])
    base.to_csv(env / "base.csv", index=False)
    base.to_parquet(env / "base.parquet", index=False)
    assert (
        _run("score", "--data", str(env / "base.csv"), "--out", str(env / "s.csv")).exit_code == 0
    )
    result = _run("score", "--data", str(env / "base.parquet"), "--out", str(env / "s.parquet"))
    assert result.exit_code == 0, result.output
    from_csv, from_parquet = pd.read_csv(env / "s.csv"), pd.read_parquet(env / "s.parquet")
    assert len(from_parquet) == 500
    # A CSV cannot tell an empty text from a missing one; Parquet keeps "" (no driver pushes).
    from_csv["top_actionable_driver"] = from_csv["top_actionable_driver"].fillna("")
    pd.testing.assert_frame_equal(
        from_parquet, from_csv.astype(from_parquet.dtypes.to_dict()), check_exact=True
    )


def test_score_prints_customers_share_and_revenue_at_risk_per_risk_level(env):
    _run("train", "--model", "logistic_splines")
    out = env / "scores.csv"
    result = _run("score", "--out", str(out))
    scores = pd.read_csv(out)
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    high = (scores["risk_level"] == "high").sum()
    assert f"{high:,}" in lines["high risk"] and f"{high / len(scores):.1%}" in lines["high risk"]
    assert f"{len(scores):,}" in lines["total"] and "100.0%" in lines["total"]
    assert "{" not in result.output  # no Python dict


def test_analyze_without_a_model_and_no_retraining_explains_how_to_train(env, monkeypatch):
    monkeypatch.setenv("CRM_AUTO_RETRAIN", "false")
    result = _run("analyze", "--random")
    assert result.exit_code == 2
    assert "crm-agents train" in result.output
    assert "Traceback" not in result.output


def test_analyze_without_a_model_trains_one_first_and_says_so(env, monkeypatch):
    monkeypatch.setenv("CRM_MODEL", "logistic_baseline")
    result = _run("analyze", "--random", "--json")
    assert result.exit_code == 0, result.output
    assert "no trained model yet: training a model on it now" in " ".join(result.output.split())


def test_analyze_unknown_customer_is_a_clear_error(env):
    _run("train", "--model", "logistic_baseline")
    result = _run("analyze", "0000-XXXXX")
    assert result.exit_code == 2
    assert "No customer with ID 0000-XXXXX" in result.output


def test_bad_data_file_is_a_clear_error_not_a_traceback(env):
    bad = env / "bad.csv"
    bad.write_text("a;b;c\n1;2;3\n")
    result = _run("prepare", "--data", str(bad))
    assert result.exit_code == 2
    assert "separated by semicolons" in result.output
    assert not (env / "processed" / "churn_features.csv").exists()


def test_invalid_setting_is_a_clear_error(env, monkeypatch):
    monkeypatch.setenv("CRM_RISK_MEDIUM", "0.9")
    result = _run("prepare")
    assert result.exit_code == 2
    assert "Invalid setting" in result.output and "CRM_RISK_MEDIUM (0.9)" in result.output


@pytest.mark.slow
def test_evaluate_json_on_the_real_file_has_the_promised_keys(real_csv, env, monkeypatch):
    monkeypatch.setenv("CRM_CV_REPEATS", "3")
    monkeypatch.setenv("CRM_CV_FOLDS", "5")
    monkeypatch.setenv("CRM_N_JOBS", "2")
    result = _run("evaluate", "--data", str(real_csv), "--features", "telco", "--json")
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    for key in ("roc_auc", "pr_auc", "brier", "top_decile_lift", "folds", "repeats", "model"):
        assert key in metrics
    assert (metrics["folds"], metrics["repeats"]) == (5, 3)
    assert metrics["roc_auc"] >= 0.850


@pytest.fixture
def narrow_terminal(monkeypatch):
    """A 60-column terminal for both of the command line's consoles."""
    from crm_agents.cli import common

    for console in (common.out, common.console):
        monkeypatch.setattr(console, "width", 60)
    return 60


def _fits(output: str, width: int) -> None:
    lines = output.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert "…" not in output  # nothing cut short


def test_tables_fit_a_narrow_terminal_without_cutting_ids_or_numbers(env, narrow_terminal):
    trained = _run("train", "--model", "logistic_splines")
    assert trained.exit_code == 0
    _fits(trained.output, narrow_terminal)
    assert "logistic regression with" in " ".join(trained.output.split())

    evaluated = _run("evaluate", "--model", "logistic_splines")
    _fits(evaluated.output, narrow_terminal)
    assert "splines" in evaluated.output

    scored = _run("score", "--out", str(env / "scores.csv"))
    _fits(scored.output, narrow_terminal)
    customer = pd.read_csv(env / "scores.csv").customerID.iloc[0]
    analysed = _run("analyze", customer)
    assert analysed.exit_code == 0, analysed.output
    _fits(analysed.output, narrow_terminal)
    assert customer in analysed.output


def test_score_json_gives_machines_the_summary(env):
    assert _run("train", "--model", "logistic_splines").exit_code == 0
    result = _run("score", "--out", str(env / "scores.csv"), "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    scores = pd.read_csv(env / "scores.csv")
    assert figures["customers"] == len(scores) == 1200
    by_level = figures["by_risk_level"]
    assert sum(level["customers"] for level in by_level.values()) == 1200
    assert by_level["high"]["customers"] == (scores.risk_level == "high").sum()


def test_evaluate_survival_json_names_the_champion_and_every_candidate(env):
    result = _run("evaluate-survival", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["champion"] in payload["candidates"]
    assert payload["integrated_brier"] < payload["km_integrated_brier"]
    assert 0.5 < payload["c_index"] <= 1
    assert "kaplan_meier_by_contract" in payload["candidates"]


def test_score_without_a_time_to_churn_model_and_retraining_off_says_how_to_add_one(
    bare_env, monkeypatch
):
    assert _run("train", "--model", "logistic_splines").exit_code == 0
    monkeypatch.setenv("CRM_AUTO_RETRAIN", "false")
    result = _run("score", "--out", str(bare_env / "before.csv"))
    assert result.exit_code == 0, result.output
    assert "crm-agents train-survival" in result.output
    assert "clv" not in pd.read_csv(bare_env / "before.csv").columns


def test_train_survival_then_score_adds_time_to_churn_and_clv_columns(bare_env):
    assert _run("train", "--model", "logistic_splines").exit_code == 0
    trained = _run("train-survival")
    assert trained.exit_code == 0, trained.output
    assert (bare_env / "artifacts" / "survival_model.json").exists()
    result = _run("score", "--out", str(bare_env / "scores.csv"))
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(bare_env / "scores.csv")
    assert {"churn_within_90d", "churn_within_365d", "median_months_left", "clv"} <= set(
        scores.columns
    )
    assert scores["churn_within_90d"].between(0, 1).all()
    assert (scores["churn_within_365d"] >= scores["churn_within_90d"]).all()
    assert (scores["clv"] >= 0).all()
    low, high = scores["churn_within_90d_low"], scores["churn_within_90d_high"]
    assert (low <= scores["churn_within_90d"]).all() and (scores["churn_within_90d"] <= high).all()
    assert scores["expected_loss_90d"].to_numpy() == pytest.approx(
        (scores["churn_within_90d"] * scores["clv"]).to_numpy(), abs=0.01
    )
    calls = scores[scores["call_this_week"]]
    assert (calls["risk_level"] == "high").all() and (calls["churn_within_90d"] >= 0.2).all()


def test_a_time_to_churn_model_of_other_data_is_refitted_for_the_data_in_use(env, monkeypatch):
    monkeypatch.setenv("CRM_SYNTHETIC_ROWS", "1100")
    assert _run("train", "--model", "logistic_splines").exit_code == 0
    result = _run("score", "--out", str(env / "scores.csv"))
    assert result.exit_code == 0, result.output
    assert "trained on other data" in result.output
    card = json.loads((env / "artifacts" / "survival_model.json").read_text())
    assert card["dataset"]["rows"] == 1100
    assert len(pd.read_csv(env / "scores.csv")["clv"]) == 1100


def test_a_time_to_churn_model_of_other_data_is_not_used_when_retraining_is_off(env, monkeypatch):
    monkeypatch.setenv("CRM_SYNTHETIC_ROWS", "1100")
    monkeypatch.setenv("CRM_AUTO_RETRAIN", "false")
    assert _run("train", "--model", "logistic_splines").exit_code == 0
    result = _run("score", "--out", str(env / "scores.csv"))
    assert result.exit_code == 0, result.output
    assert "trained on other data" in result.output and "train-survival" in result.output
    assert "clv" not in pd.read_csv(env / "scores.csv").columns


def test_train_survival_if_missing_fits_once_then_keeps_the_saved_model(bare_env):
    first = _run("train-survival", "--if-missing")
    assert first.exit_code == 0, first.output
    saved = (bare_env / "artifacts" / "survival_model.json").read_text()
    again = _run("train-survival", "--if-missing")
    assert again.exit_code == 0 and "already fitted" in again.output
    assert (bare_env / "artifacts" / "survival_model.json").read_text() == saved


def test_score_cuts_value_tiers_on_lifetime_value_when_asked(env, monkeypatch):
    monkeypatch.setenv("CRM_VALUE_BASIS", "lifetime_value")
    result = _run("score", "--out", str(env / "scores.csv"))
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(env / "scores.csv")
    lowest_high = scores.loc[scores["value_tier"] == "high", "clv"].min()
    assert (scores.loc[scores["clv"] >= lowest_high, "value_tier"] == "high").all()
    assert scores["value_tier"].value_counts(normalize=True).max() < 0.35


def test_the_score_summary_counts_customers_that_could_not_be_scored_apart():
    from rich.console import Console

    from crm_agents.cli.scoring import score_figures, score_summary

    scored = pd.DataFrame(
        {"churn_probability": [0.9, float("nan"), 0.1], "risk_level": ["high", "unscored", "low"]}
    )
    charges = pd.Series([100.0, 50.0, 20.0]).to_numpy()
    figures = score_figures(scored, charges, "x.csv")
    assert figures["by_risk_level"]["unscored"]["customers"] == 1
    assert figures["monthly_revenue_at_risk"] == 92.0
    console = Console(record=True, width=120)
    console.print(score_summary(scored, charges, "en"))
    shown = console.export_text()
    assert "could not be scored" in shown and "nan" not in shown


def test_a_chinese_report_names_the_skipped_agents_in_chinese_with_full_width_punctuation(env):
    assert _run("train", "--model", "logistic_baseline").exit_code == 0
    assert _run("score", "--out", str(env / "scores.csv")).exit_code == 0
    scores = pd.read_csv(env / "scores.csv")
    customer = scores.loc[scores.risk_level == "low", "customerID"].iloc[0]
    result = _run("analyze", customer, "--lang", "zh-TW")
    assert result.exit_code == 0, result.output
    assert "已略過挽留方案、溝通內容、人員核准：" in result.output
    assert "campaign" not in result.output and "資料：" in result.output


def test_no_chinese_phrase_puts_a_half_width_colon_after_chinese_text():
    import re
    from pathlib import Path

    from core.i18n import read_locale

    text = (Path(__file__).parents[2] / "core" / "locales" / "zh-TW.toml").read_text("utf-8")
    half = [k for k, v in read_locale(text).items() if re.search(r"[\u4e00-\u9fff）]:", v)]
    assert half == []


def test_console_tables_break_lines_between_words_not_inside_them():
    from rich.console import Console

    from crm_agents.cli.common import frame_table

    frame = pd.DataFrame(
        {
            "customer": ["2266-NGWOT", "9082-RRPKS"],
            "customers": [3245, 12],
            "departures expected": [328.0, 1.5],
            "why": ["month-to-month contract, fibre optic internet, electronic check"] * 2,
            "合約類型": ["月租制", "兩年約"],
        }
    )
    console = Console(width=68, record=True, color_system=None)
    console.print(frame_table(frame, "title", width=68))
    text = console.export_text()
    words = {"2266-NGWOT", "9082-RRPKS", "customers", "departures", "expected", "month-to-month"}
    for word in words | {"contract,", "electronic", "合約類型", "月租制"}:
        assert word in text, word
    assert "┓" in text.splitlines()[1]  # the whole table, its last column not cut off


def test_a_console_too_narrow_for_every_word_folds_words_rather_than_cutting_columns():
    from rich.console import Console

    from crm_agents.cli.common import frame_table

    frame = pd.DataFrame(
        {"customer": ["2266-NGWOT"], "why": ["month-to-month"], "合約類型": ["月租制"]}
    )
    console = Console(width=30, record=True, color_system=None)
    console.print(frame_table(frame, width=30))
    text = console.export_text()
    assert text.splitlines()[0].endswith("┓")
    assert "2266-NGWOT" in text


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_help_names_its_options_in_words_not_python_types(command):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "typing." not in result.output
    assert " object at 0x" not in result.output


def test_an_unknown_customer_is_refused_in_the_commands_language(env):
    _run("train", "--model", "logistic_baseline")
    result = _run("analyze", "--lang", "zh-TW", "0000-XXXXX")
    assert result.exit_code == 2
    assert "錯誤：在已載入的" in " ".join(result.output.split())
    assert "No customer" not in result.output


def test_a_broken_file_is_refused_line_by_line_in_the_settings_language(env, monkeypatch):
    bad = env / "bad.csv"
    bad.write_text("a;b;c\n1;2;3\n")
    monkeypatch.setenv("CRM_LANGUAGE", "zh-TW")
    result = _run("prepare", "--data", str(bad))
    assert result.exit_code == 2
    assert "不是有效的 Telco 客戶檔案" in result.output
    assert "欄位以分號分隔；應以逗號分隔" in result.output


def test_a_folder_that_is_a_file_is_refused_in_the_commands_language(env):
    taken = env / "taken.csv"
    taken.write_text("x\n")
    result = _run("batch", "--lang", "zh-TW", "--export", str(taken))
    assert result.exit_code == 2
    assert "是檔案；請給資料夾" in " ".join(result.output.split())


def test_training_in_chinese_names_the_models_metrics_and_progress_in_chinese(env, monkeypatch):
    monkeypatch.setenv("CRM_LANGUAGE", "zh-TW")
    result = _run("train", "--model", "logistic_baseline")
    assert result.exit_code == 0, result.output
    shown = "".join(result.output.split())
    assert "選用模型：邏輯斯迴歸（由設定指定的模型）" in shown
    assert "斜率" in shown and "提升度" in shown  # headers may wrap inside the table
    assert "logistic_baseline" not in shown and "cal. slope" not in shown


def test_campaigns_are_made_listed_and_shown_from_the_command_line(env):
    db = f"sqlite:///{env / 'crm.db'}"
    assert _run("train", "--model", "logistic_baseline").exit_code == 0
    assert _run("batch", "--db", db, "--limit", "60", "--workers", "1").exit_code == 0
    made = _run("campaigns", "create", "Spring", "--db", db, "--holdout", "0.2")
    assert made.exit_code == 0, made.output
    assert 'Campaign 1 "Spring" made as a draft' in " ".join(made.output.split())
    assert "Smallest effect" in made.output
    listed = _run("campaigns", "list", "--db", db)
    assert "Spring" in listed.output and "draft" in listed.output
    shown = _run("campaigns", "show", "1", "--db", db, "--lang", "zh-TW")
    assert "活動1「Spring」（草稿）" in "".join(shown.output.split())
    again = _run("campaigns", "create", "Spring", "--db", db)
    assert again.exit_code == 2 and "exists already" in again.output
    none_yet = _run("campaigns", "results", "1", "--db", db)
    assert "No outcomes in both arms yet" in " ".join(none_yet.output.split())
    drawn = _run("simulate-outcomes", "1", "--db", db, "--seed", "2")
    assert drawn.exit_code == 0 and "known truth" in " ".join(drawn.output.split())
    measured = " ".join(_run("campaigns", "results", "1", "--db", db).output.split())
    assert "Stayed:" in measured and "Newcombe" in measured
    chinese = "".join(
        _run("campaigns", "results", "1", "--db", db, "--lang", "zh-TW").output.split()
    )
    assert "留存：接受方案" in chinese
    learned = _run("campaigns", "uplift", "1", "--db", db)  # 60 customers: too few to learn from
    assert learned.exit_code == 2
    assert "at least 50 in each arm" in " ".join(learned.output.split())
