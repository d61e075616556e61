from __future__ import annotations

import pytest

from assist.evaluation import CaseResult, evaluate, expected_decision, score
from assist.knowledge.records import BacklogTask, EvalCase, FaqEntry
from assist.settings import Settings
from embeddings.fake import FakeEncoder


def result(
    case_id: str,
    *,
    faq: str | None = None,
    backlog: str | None = None,
    flags: tuple[str, ...] = (),
    language: str = "ru",
    got_language: str = "ru",
    decision: str = "answer",
    got_flags: tuple[str, ...] = (),
    faq_ranking: tuple[str, ...] = (),
    backlog_ranking: tuple[str, ...] = (),
) -> CaseResult:
    case = EvalCase.model_validate(
        {
            "id": case_id,
            "text": "x",
            "language": language,
            "faq": faq,
            "backlog": backlog,
            "flags": list(flags),
        }
    )
    return CaseResult(
        case, got_language, decision, list(got_flags), list(faq_ranking), list(backlog_ranking)
    )


def test_metrics_on_a_hand_checked_set() -> None:
    results = [
        result("1", faq="a", faq_ranking=("a", "b")),
        result("2", faq="a", faq_ranking=("b", "c", "a")),
        result("3", faq="a", faq_ranking=("b", "c", "d", "e")),
        result("4", backlog="T1", decision="attach", backlog_ranking=("T2", "T1")),
        result("5", decision="register", got_language="en"),
        result("6", decision="register", faq="a", faq_ranking=("a",)),
        result("7", flags=("conduct.rude",), decision="register", got_flags=("conduct.rude",)),
    ]
    m = score(results)
    assert m["faq"] == {"n": 4, "recall_at_1": 0.5, "recall_at_3": 0.75, "mrr": 0.5833}
    assert m["backlog"] == {"n": 1, "recall_at_1": 0.0, "recall_at_5": 1.0}
    # Only case 5 is a true no-match; 5, 6 and 7 were predicted "register".
    assert m["no_match"] == {"n": 1, "precision": 0.3333, "recall": 1.0}
    assert m["flags"]["conduct.rude"] == {"support": 1, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert m["flags"]["off_hours"] == {"support": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert m["language"] == {"n": 7, "accuracy": 0.8571}
    assert m["decision"]["n"] == 6


@pytest.mark.parametrize(
    ("faq", "backlog", "flags", "expected"),
    [
        ("a", "T", (), "answer"),
        (None, "T", (), "attach"),
        (None, None, (), "register"),
        (None, None, ("off_hours",), None),
    ],
)
def test_expected_decision(
    faq: str | None, backlog: str | None, flags: tuple[str, ...], expected: str | None
) -> None:
    case = EvalCase.model_validate(
        {
            "id": "c",
            "text": "x",
            "language": "ru",
            "faq": faq,
            "backlog": backlog,
            "flags": list(flags),
        }
    )
    assert expected_decision(case) == expected


def test_evaluate_runs_the_real_pipeline_on_a_scratch_store(
    settings: Settings, faq: list[FaqEntry], backlog: list[BacklogTask]
) -> None:
    cases = [
        EvalCase(
            id="1", text="как настроить расписание работы линии", language="ru", faq="faq-schedule"
        ),
        EvalCase(id="2", text="how do I reset my password", language="en", faq="faq-password"),
        EvalCase(
            id="3",
            text="приложение падает при отправке большого файла",
            language="ru",
            backlog="CONNECT-1",
        ),
    ]
    report = evaluate(settings, faq, backlog, cases, encoder=FakeEncoder())
    assert report.metrics["faq"]["recall_at_1"] == 1.0
    assert report.metrics["backlog"]["recall_at_5"] == 1.0
    assert report.metrics["language"]["accuracy"] == 1.0
    assert not (settings.data_dir / "assist.db").exists()  # the scratch store is elsewhere
