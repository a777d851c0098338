"""``python -m nlp themes``: help, bad input, and the three output formats."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from nlp.cli import main, read_csv
from tests.nlp.nlp_corpus import CRASHES, PRICE


def test_help_explains_the_command():
    out = subprocess.run(
        [sys.executable, "-m", "nlp", "themes", "--help"], capture_output=True, text=True, check=True
    )
    for flag in ("--text-column", "--id-column", "--out", "--format", "--taxonomy", "--memory", "--backend"):
        assert flag in out.stdout
    assert "root causes" in out.stdout and "--corrections" in out.stdout and "--examples" in out.stdout


def test_an_unknown_backend_is_refused_with_the_choices(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("reason\ntoo expensive\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["themes", str(path), "--text-column", "reason", "--backend", "tensorrt"])
    assert stopped.value.code == 2
    assert "onnx-int8" in capsys.readouterr().err


@pytest.mark.parametrize("device", ["gpu", "cuda0", "cuda:x", ""])
def test_an_unknown_device_is_refused_before_any_model_loads(tmp_path, capsys, device):
    path = tmp_path / "in.csv"
    path.write_text("reason\ntoo expensive\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["themes", str(path), "--text-column", "reason", "--device", device])
    assert stopped.value.code == 2
    assert "use cpu, cuda or cuda:N" in capsys.readouterr().err


def test_a_device_name_is_accepted_in_any_case():
    from nlp.cli import device_name

    assert [device_name(d) for d in ("CPU", "cuda", "cuda:1")] == ["cpu", "cuda", "cuda:1"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"a,b\n1,2\n", "no column 'reason'; the columns are: a, b"),
        (b"", "the file is empty"),
        (b"reason\n", "header but no rows"),
        (b"reason\n\xff\xfe caf\xe9\n", "not UTF-8"),
        (b"reason\ntoo dear\nmoved\ncaf\xe9 closed\n", "not UTF-8 text (line 4, byte 25)"),
    ],
)
def test_bad_input_fails_with_one_clear_message(tmp_path, capsys, content, message):
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    assert main(["themes", str(path), "--text-column", "reason"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX) and message in err and err.count("\n") == 1 and "Traceback" not in err


#: argparse words its own errors "python -m nlp themes: error: ..." (exit 2); bad input reads the same.
PREFIX = "python -m nlp themes: error: "


def test_input_errors_read_as_argparse_errors_do(tmp_path, capsys):
    """Acceptance walk: "Error: ... no column 'nope'" and "error: ... no such file" in one tool."""
    path = tmp_path / "in.csv"
    path.write_text("reason\nToo dear.\n", encoding="utf-8")
    assert main(["themes", str(path), "--text-column", "nope"]) == 2
    no_column = capsys.readouterr().err
    assert no_column == f"{PREFIX}{path}: no column 'nope'; the columns are: reason\n"
    assert main(["themes", str(tmp_path / "gone.csv"), "--text-column", "reason"]) == 2
    assert capsys.readouterr().err == f"{PREFIX}{tmp_path / 'gone.csv'}: no such file\n"
    with pytest.raises(SystemExit) as stopped:
        main(["themes", str(path)])  # argparse's own: same prefix, same exit code
    assert (
        stopped.value.code == 2
        and f"\n{PREFIX}the following arguments are required" in capsys.readouterr().err
    )


def test_missing_file_and_id_column(tmp_path, capsys):
    assert main(["themes", str(tmp_path / "nope.csv"), "--text-column", "reason"]) == 2
    path = tmp_path / "in.csv"
    path.write_text("reason\nx\n", encoding="utf-8")
    assert main(["themes", str(path), "--text-column", "reason", "--id-column", "id"]) == 2
    assert "no id column 'id'" in capsys.readouterr().err


@pytest.mark.slow
def test_json_csv_and_md_outputs_and_memory(tmp_path):
    rows = [{"cid": f"c{i}", "reason": t} for i, t in enumerate(PRICE[:6] + CRASHES[:6] + ["n/a"])]
    src = tmp_path / "answers.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["cid", "reason"])
        writer.writeheader()
        writer.writerows(rows)
    out, mem = tmp_path / "out.json", tmp_path / "memory.json"
    assert (
        main(
            [
                "themes",
                str(src),
                "--text-column",
                "reason",
                "--id-column",
                "cid",
                "--out",
                str(out),
                "--memory",
                str(mem),
                "--no-progress",
            ]
        )
        == 0
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [a["id"] for a in data["assignments"]] == [r["cid"] for r in rows]
    assert data["assignments"][-1]["theme_id"] is None and data["assignments"][-1]["is_non_answer"]
    assert set(data["themes"][0]) >= {"id", "label", "keywords", "category", "size", "quotes", "sentiment"}
    assert "timings" in data["run"] and mem.exists()
    ids_before = {a["id"]: a["theme_id"] for a in data["assignments"]}
    csv_out = tmp_path / "out.csv"
    assert (
        main(
            [
                "themes",
                str(src),
                "--text-column",
                "reason",
                "--id-column",
                "cid",
                "--format",
                "csv",
                "--out",
                str(csv_out),
                "--memory",
                str(mem),
                "--no-progress",
            ]
        )
        == 0
    )
    with csv_out.open(encoding="utf-8") as fh:
        got = list(csv.DictReader(fh))
    assert len(got) == len(rows) and {"cid", "reason", "theme_id", "theme_label"} <= set(got[0])
    assert {r["cid"]: r["theme_id"] or None for r in got} == ids_before  # stable via --memory
    md = tmp_path / "out.md"
    assert (
        main(
            [
                "themes",
                str(src),
                "--text-column",
                "reason",
                "--format",
                "md",
                "--out",
                str(md),
                "--no-progress",
            ]
        )
        == 0
    )
    assert md.read_text(encoding="utf-8").startswith("# Why customers left")


@pytest.mark.parametrize("separator", [";", "\t", ","])
def test_a_spreadsheet_csv_with_semicolons_or_tabs_is_read(tmp_path, separator):
    """Spreadsheets in comma-decimal locales save "CSV" with semicolons; the answer's own commas
    and semicolons stay inside its quoted field."""
    path = tmp_path / "in.csv"
    body = f'id{separator}reason\n1{separator}"too dear, sadly; 9,99 a month"\n2{separator}app crashed\n'
    path.write_text(body, encoding="utf-8")
    rows, fields, texts, ids = read_csv(path, "reason", "id")
    assert fields == ["id", "reason"] and ids == ["1", "2"]
    assert texts == ["too dear, sadly; 9,99 a month", "app crashed"]


@pytest.mark.parametrize(
    "option,value,message",
    [
        (
            "--out",
            "{tmp}/no/such/dir/x.json",
            "--out {tmp}/no/such/dir/x.json: the folder {tmp}/no/such/dir does not exist",
        ),
        ("--out", "{tmp}", "--out {tmp}: is a folder"),
        ("--memory", "{tmp}/gone/memory.json", "--memory {tmp}/gone/memory.json: the folder"),
        ("--embedding-model", "{tmp}/no/such/folder", "--embedding-model: embedding model"),
    ],
)
def test_an_unusable_output_or_model_is_refused_before_any_work(
    tmp_path, capsys, monkeypatch, option, value, message
):
    path = tmp_path / "in.csv"
    path.write_text("reason\nToo expensive for us.\n", encoding="utf-8")
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    value, message = value.format(tmp=tmp_path), message.format(tmp=tmp_path)
    assert main(["themes", str(path), "--text-column", "reason", option, value]) == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX) and message in err and err.count("\n") == 1 and "Traceback" not in err


def test_the_markdown_report_names_root_causes_not_keys():
    from nlp.cli import markdown_report
    from nlp.memory import ThemeMemory
    from nlp.results import AnalysisResult, RootCauseResult, ThemeResult

    theme = ThemeResult("t1", "Price went up", ["price"], "no_longer_needed", 2, ["We stopped."], -0.2, True)
    result = AnalysisResult(
        themes=[theme],
        assignments=[],
        memory=ThemeMemory(runs=1),
        run={"n_texts": 2, "n_non_answers": 0},
        root_causes=[RootCauseResult("no_longer_needed", "No longer needed", 2, 2, 1.0, ["t1"])],
    )
    md = markdown_report(result)
    assert "no_longer_needed" not in md
    assert "| No longer needed | 2 |" in md and "Root cause: **No longer needed**" in md
    assert "(new)" not in md  # the first run: every theme is new, so the mark would say nothing


def test_the_markdown_report_shows_a_tiny_share_as_under_one_percent():
    from nlp.cli import markdown_report
    from nlp.memory import ThemeMemory
    from nlp.results import AnalysisResult, RootCauseResult, ThemeResult

    theme = ThemeResult("t1", "Moved abroad", ["abroad"], "no_longer_needed", 1, ["Moved abroad."], 0.0, True)
    result = AnalysisResult(
        themes=[theme],
        assignments=[],
        memory=ThemeMemory(runs=1),
        run={"n_texts": 300, "n_non_answers": 0},
        root_causes=[RootCauseResult("no_longer_needed", "No longer needed", 1, 1, 1 / 300, ["t1"])],
    )
    assert "| No longer needed | 1 | <1% |" in markdown_report(result)


def test_the_markdown_report_counts_in_words_and_says_why_it_has_no_themes():
    """The counts read "1 answers, 1 non-answers", as a machine writes, and a file of non-answers gave an
    empty table with no word of why."""
    from nlp.cli import markdown_report
    from nlp.memory import ThemeMemory
    from nlp.results import AnalysisResult, RootCauseResult, ThemeResult

    theme = ThemeResult("t1", "Moved abroad", ["abroad"], "no_longer_needed", 1, ["Moved abroad."], 0.0, True)
    one = AnalysisResult(
        themes=[theme],
        assignments=[],
        memory=ThemeMemory(runs=1),
        run={"n_texts": 1, "n_non_answers": 1},
        root_causes=[RootCauseResult("no_longer_needed", "No longer needed", 1, 1, 1.0, ["t1"])],
    )
    md = markdown_report(one)
    assert "1 answer, 1 non-answer, 1 root cause, 1 theme." in md and "; 1 answer;" in md
    empty = AnalysisResult(
        themes=[], assignments=[], memory=ThemeMemory(runs=1), run={"n_texts": 3, "n_non_answers": 3}
    )
    md = markdown_report(empty)
    assert "3 answers, 3 non-answers, 0 root causes, 0 themes." in md
    assert "No themes: every answer was empty or a non-answer" in md and "| # | theme |" not in md


@pytest.mark.parametrize("breaker", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1e"])
def test_a_line_separator_inside_an_answer_keeps_the_row_whole(tmp_path, breaker):
    """Text pasted from the web or Word can hold a Unicode line separator (or a vertical tab, as
    FileMaker writes a line break in a cell); the row is one answer, not the answer cut there and
    a made-up row holding its end."""
    path = tmp_path / "in.csv"
    path.write_text(f"id,reason\n1,too expensive{breaker}really\n2,app crashed\n", encoding="utf-8")
    rows, fields, texts, ids = read_csv(path, "reason", "id")
    assert ids == ["1", "2"] and texts == [f"too expensive{breaker}really", "app crashed"]


def test_a_row_with_more_values_than_the_header_is_refused_naming_its_line(tmp_path, capsys, monkeypatch):
    """An unquoted comma inside an answer makes one value more than the header has columns:
    csv put the answer's tail aside, so "support was slow, and rude" was analysed as "support
    was slow" (and ``--format csv`` crashed on the stray value). The line is named instead."""
    path = tmp_path / "in.csv"
    path.write_text(
        'id,reason\n1,too expensive\n2,"app crashed\nevery day"\n3,support was slow, and rude\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    assert main(["themes", str(path), "--text-column", "reason"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX) and err.count("\n") == 1
    assert "line 5 has 3 values but the header has 2 columns" in err and "double quotes" in err


def test_empty_values_after_the_last_column_are_read_as_nothing(tmp_path):
    """Some exports end every line with a separator: those empty values are no reason to refuse."""
    path = tmp_path / "in.csv"
    path.write_text("id,reason\n1,too expensive,\n2,app crashed,,\n", encoding="utf-8")
    rows, fields, texts, ids = read_csv(path, "reason", "id")
    assert texts == ["too expensive", "app crashed"] and rows == [
        {"id": "1", "reason": "too expensive"},
        {"id": "2", "reason": "app crashed"},
    ]


def test_a_cache_folder_that_cannot_be_made_is_refused_before_any_work(tmp_path, capsys, monkeypatch):
    """``--cache-dir`` under a file (or read-only) was only found out when the pipeline opened the
    cache, after the models loaded: a NotADirectoryError traceback."""
    path = tmp_path / "in.csv"
    path.write_text("reason\nToo expensive for us.\n", encoding="utf-8")
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    cache = path / "cache"
    assert main(["themes", str(path), "--text-column", "reason", "--cache-dir", str(cache)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX) and err.count("\n") == 1
    assert f"cannot create the cache folder {cache}" in err and "--no-cache" in err


def test_an_input_or_memory_that_cannot_be_read_as_such_fails_with_one_line(tmp_path, capsys, monkeypatch):
    """A folder given as the input, and a memory file holding JSON of another shape (a list),
    were tracebacks (IsADirectoryError, AttributeError)."""
    path = tmp_path / "in.csv"
    path.write_text("reason\nToo expensive for us.\n", encoding="utf-8")
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    assert main(["themes", str(tmp_path), "--text-column", "reason"]) == 2
    err = capsys.readouterr().err
    assert err == f"{PREFIX}{tmp_path}: is a folder; give the CSV file\n"
    memory = tmp_path / "memory.json"
    for content in ("[]", '"themes"', '{"themes": [1]}'):
        memory.write_text(content, encoding="utf-8")
        assert main(["themes", str(path), "--text-column", "reason", "--memory", str(memory)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"{PREFIX}{memory}: not a theme memory file") and err.count("\n") == 1


def test_a_quote_that_is_never_closed_is_refused_naming_its_line(tmp_path, capsys, monkeypatch):
    """An opening quote with no closing one made every later line part of that answer: a file of
    four answers was analysed as two, without a word."""
    path = tmp_path / "in.csv"
    path.write_text(
        'id,reason\n1,"app crashed\nevery day"\n2,"too expensive\n3,support was slow\n4,moved\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    assert main(["themes", str(path), "--text-column", "reason"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX) and err.count("\n") == 1
    assert "line 4 opens a quoted value that is never closed" in err


def test_an_empty_id_is_not_replaced_by_another_rows_id(tmp_path):
    """An empty id was replaced by the row number, which can be another row's real id: here the
    second row came out as customer "1", twice in the output, and a join back by id went wrong."""
    path = tmp_path / "in.csv"
    path.write_text("id,reason\n7,too expensive\n,app crashed\n1,moved abroad\n", encoding="utf-8")
    rows, fields, texts, ids = read_csv(path, "reason", "id")
    assert ids == ["7", "", "1"]


def test_empty_or_repeated_ids_are_warned_about():
    from nlp.cli import id_warning

    assert id_warning("id", ["1", "2", "3"]) is None
    line = id_warning("cid", ["a", "a", "", " ", "b"])
    assert line is not None and line.startswith("warning: --id-column cid: 2 rows have no id")
    assert "1 id is on more than one row ('a')" in line


def test_a_text_column_named_twice_in_the_header_is_refused(tmp_path, capsys, monkeypatch):
    """Two columns called "reason": the last one was read and the first dropped without a word."""
    path = tmp_path / "in.csv"
    path.write_text("id,reason,reason\n1,too expensive,see above\n", encoding="utf-8")
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    assert main(["themes", str(path), "--text-column", "reason"]) == 2
    err = capsys.readouterr().err
    assert err == f"{PREFIX}{path}: the header names the column 'reason' twice (columns 2 and 3)\n"


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_corrections_file_saved_with_semicolons_or_tabs_is_read(tmp_path, separator):
    """The answers file may be semicolon- or tab-separated, and the corrections file came from the
    same spreadsheet: it was refused as "missing column(s) category, text" under that very header."""
    from nlp import PipelineConfig
    from nlp.cli import read_corrections

    path = tmp_path / "moved.csv"
    path.write_text(f'text{separator}category\n"too dear; sadly"{separator}price\n', encoding="utf-8")
    assert read_corrections(path, PipelineConfig()) == [("too dear; sadly", "price")]


def test_a_corrections_file_without_its_columns_names_the_columns_it_has(tmp_path, capsys, monkeypatch):
    path = tmp_path / "in.csv"
    path.write_text("reason\nToo expensive for us.\n", encoding="utf-8")
    moved = tmp_path / "moved.csv"
    moved.write_text("answer,cause\ntoo dear,price\n", encoding="utf-8")
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    assert main(["themes", str(path), "--text-column", "reason", "--corrections", str(moved)]) == 2
    err = capsys.readouterr().err
    assert err == f"{PREFIX}{moved}: missing column(s) category, text; the columns are: answer, cause\n"


def test_an_example_bank_with_no_examples_is_refused(tmp_path, capsys, monkeypatch):
    """``--examples`` replaces the packaged bank: a file with a header and nothing under it trained
    the root-cause model on the taxonomy's few phrases alone, without a word."""
    path = tmp_path / "in.csv"
    path.write_text("reason\nToo expensive for us.\n", encoding="utf-8")
    bank = tmp_path / "bank.csv"
    bank.write_text("text,category\n", encoding="utf-8")
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    assert main(["themes", str(path), "--text-column", "reason", "--examples", str(bank)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{PREFIX}{bank}: no examples") and err.count("\n") == 1


def test_an_answer_over_the_csv_field_limit_is_named_by_its_line(tmp_path, capsys, monkeypatch):
    """Python's csv refuses a value over 131,072 characters; the message was csv's own, with no
    line and no word of what to do."""
    path = tmp_path / "in.csv"
    path.write_text("id,reason\n1,too dear\n2," + "x" * 140_000 + "\n", encoding="utf-8")
    monkeypatch.setattr("nlp.pipeline.analyze", lambda *a, **k: pytest.fail("the pipeline ran"))
    assert main(["themes", str(path), "--text-column", "reason"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(PREFIX) and err.count("\n") == 1
    assert "line 3 starts a value longer than 131,072 characters" in err
    lines = [f"{i},answer {i} " + "x" * 2_000 for i in range(3, 80)]
    path.write_text('id,reason\n1,too dear\n2,"app crashed\n' + "\n".join(lines) + "\n", encoding="utf-8")
    assert main(["themes", str(path), "--text-column", "reason"]) == 2
    assert (
        "line 3 starts a value longer than 131,072 characters: a quote opened there"
        in capsys.readouterr().err
    )


def test_the_memory_and_output_files_are_written_whole_or_not_at_all(tmp_path):
    """A run stopped while writing left half a memory file (the human labels of every theme), and the
    next run then refused it: now the text goes to a file beside it, renamed over the old one."""
    from nlp.cli import write_whole

    memory = tmp_path / "memory.json"
    memory.write_text('{"runs": 1}', encoding="utf-8")
    write_whole(memory, '{"runs": 2}')
    assert memory.read_text(encoding="utf-8") == '{"runs": 2}'
    assert [p.name for p in tmp_path.iterdir()] == ["memory.json"]  # nothing left beside it

    # a write that fails part way (here a character UTF-8 cannot encode, after the first ones)
    with pytest.raises(UnicodeEncodeError):
        write_whole(memory, '{"runs": 3, "label": "\ud800"}')
    assert memory.read_text(encoding="utf-8") == '{"runs": 2}'  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["memory.json"]


@pytest.mark.parametrize("command", [[], ["prepare"]])
def test_help_shows_how_to_call_it(command, capsys):
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    shown = capsys.readouterr().out
    assert "examples:" in shown and "python -m nlp prepare" in shown, shown
