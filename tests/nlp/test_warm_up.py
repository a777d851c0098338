"""``python -m nlp prepare``: the models a first analysis needs are ready before it runs."""

from __future__ import annotations

import csv

from nlp.cli import main
from nlp.warm_up import DEFAULT_BANK as BANK
from nlp.warm_up import warm_up_answers


def heads_in(folder):
    return sorted(p.name for p in folder.glob("root-causes-*.pkl"))


def test_the_sample_answers_are_real_reasons_in_every_shipped_language():
    with BANK.open(encoding="utf-8", newline="") as handle:
        rows = {row["text"]: row for row in csv.DictReader(handle)}
    texts = warm_up_answers()
    assert len(texts) == len(set(texts))
    assert {rows[t]["language"] for t in texts} >= {"en", "es", "de", "fr", "pt"}  # each head trains
    assert all(rows[t]["category"] != "non_answer" for t in texts)  # every stage runs, not just the rules


def small_bank(path, per_category=6):
    """A few of the packaged bank's rows per cause and language, so the heads train in seconds."""
    with BANK.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen: dict[tuple[str, str], int] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.DictWriter(handle, fieldnames=list(rows[0]))
        out.writeheader()
        for row in rows:
            key = (row["category"], row["language"])
            if seen.get(key, 0) < (per_category if row["language"] == "en" else 1):
                seen[key] = seen.get(key, 0) + 1
                out.writerow(row)
    return path


def test_prepare_trains_the_heads_a_themes_run_then_loads(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache = tmp_path / "xdg" / "afterword-nlp"
    bank = small_bank(tmp_path / "bank.csv")

    assert main(["prepare", "--examples", str(bank)]) == 0
    assert "Models ready in" in capsys.readouterr().err
    prepared = heads_in(cache)
    assert any("multilingual" in name for name in prepared)  # answers in other languages have their head
    assert any("multilingual" not in name for name in prepared)

    answers = tmp_path / "answers.csv"
    with answers.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["reason"], ["Too expensive after the renewal"], ["demasiado caro"]])
    out = tmp_path / "out.json"
    assert (
        main(["themes", str(answers), "--text-column", "reason", "--examples", str(bank), "--out", str(out)])
        == 0
    )
    assert heads_in(cache) == prepared  # the run loaded what prepare trained; it trained nothing new


def test_prepare_refuses_an_embedding_model_that_is_not_there(tmp_path, capsys):
    assert main(["prepare", "--embedding-model", str(tmp_path / "no-such-model")]) == 2
    assert "error" in capsys.readouterr().err


def test_prepare_names_a_bank_that_is_not_there(tmp_path, capsys):
    assert main(["prepare", "--examples", str(tmp_path / "gone.csv")]) == 2
    assert f"{tmp_path / 'gone.csv'}: no such file (given as --examples)" in capsys.readouterr().err


def test_prepare_names_a_cache_folder_it_cannot_create(tmp_path, monkeypatch, capsys):
    """A home that is missing or read-only: one line naming the folder and the way out, exit 2,
    before any model is loaded (make setup shows it instead of a traceback)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert main(["prepare"]) == 2
    err = capsys.readouterr().err
    assert f"cannot create the cache folder {blocker / 'afterword-nlp'}" in err
    assert "XDG_CACHE_HOME" in err and "Traceback" not in err


def test_prepare_refuses_a_taxonomy_that_does_not_load_before_any_work(tmp_path, capsys):
    broken = tmp_path / "taxonomy.yaml"
    broken.write_text("categories: [price\n", encoding="utf-8")  # an unclosed list
    assert main(["prepare", "--taxonomy", str(broken)]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"python -m nlp prepare: error: {broken}: not valid YAML (line 2): expected ',' or ']', but got '<stream end>'\n"
    )
