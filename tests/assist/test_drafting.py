from __future__ import annotations

from pathlib import Path

import pytest

from assist.drafting import Drafter, TemplateFailed
from assist.knowledge.records import BacklogTask, FaqEntry

TASK = BacklogTask(id="CONNECT-7", title="Падает чат", kind="bug", status="open")


def test_attach_draft_names_the_task_and_never_a_date() -> None:
    draft = Drafter(["ru", "en"]).render("attach", "ru", task=TASK)
    assert "CONNECT-7" in draft.text
    assert "ошибка" in draft.text
    assert "дату назвать не могу" in draft.text
    english = Drafter(["ru", "en"]).render("attach", "en", task=TASK)
    assert english.language == "en" and "CONNECT-7" in english.text


@pytest.mark.parametrize("status", ["open", "in_progress", "done", "rejected"])
def test_attach_draft_speaks_to_the_task_status(status: str) -> None:
    task = TASK.model_copy(update={"status": status})
    texts = {Drafter(["ru"]).render("attach", "ru", task=task).text for _ in range(2)}
    assert len(texts) == 1
    text = texts.pop()
    assert "CONNECT-7" in text
    if status == "done":
        assert "Обновите приложение" in text


def test_unknown_language_falls_back_to_the_first_served() -> None:
    faq = FaqEntry(id="f", question="q", answer="Откройте настройки.")
    draft = Drafter(["ru", "en"]).render("answer", "kk", faq=faq)
    assert (draft.language, draft.text) == ("ru", "Откройте настройки.")


def test_overrides_win_and_missing_variables_fail_loudly(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "register.j2").write_text("Задача {{ task_id }} — {{ nothing }}")
    drafter = Drafter(["ru"], overrides=tmp_path)
    with pytest.raises(TemplateFailed, match="nothing"):
        drafter.render("register", "ru", task_id="CONNECT-9")
    (tmp_path / "ru" / "register.j2").write_text("Регистрирую {{ task_id }}.")
    assert drafter.render("register", "ru", task_id="CONNECT-9").text == "Регистрирую CONNECT-9."


def test_templates_cannot_reach_python_internals(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "answer.j2").write_text("{{ faq.__class__.__mro__ }}")
    faq = FaqEntry(id="f", question="q", answer="a")
    with pytest.raises(TemplateFailed):
        Drafter(["ru"], overrides=tmp_path).render("answer", "ru", faq=faq)


def test_user_text_is_rendered_as_data_not_template_code() -> None:
    faq = FaqEntry(id="f", question="q", answer="{{ 7 * 7 }} <script>x</script>")
    draft = Drafter(["ru"]).render("answer", "ru", faq=faq)
    assert draft.text == "{{ 7 * 7 }} <script>x</script>"


def test_every_rendered_draft_carries_its_style_check(tmp_path: Path) -> None:
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "register.j2").write_text("Задачу {{ task_id }} скоро сделаем.")
    draft = Drafter(["ru"], overrides=tmp_path).render("register", "ru", task_id="CONNECT-9")
    assert [w.code for w in draft.warnings] == ["promise"]
    assert Drafter(["ru"]).render("register", "ru", task_id="CONNECT-9").warnings == ()
