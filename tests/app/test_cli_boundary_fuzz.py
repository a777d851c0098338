"""Every ``flask`` command (``app.cli``) given malformed arguments and unreadable or oddly encoded
files: a short error and a non-zero exit, or a normal answer; never a traceback.

Walks the commands' own parameters, so a new command or option is covered without being listed.
``test_outside_ids.py`` has the ids past the database's range; the CSV importers' row and field
messages have their own tests (``customers/test_customers_import.py``, ``conversations/test_ticket_import.py``).
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest

#: Commands that would load the NLP models or fill the database with the demo company.
NOT_RUN = {("analyze", "run"), ("demo", "load")}
#: A usable value for each required parameter, so the junk in one parameter is what is tested.
VALID = {
    "label": "x",
    "email": "someone@example.com",
    "key": "x",
    "survey_key": "saas",
    "role": "cx",
    "url": "https://hooks.example/x",
    "events": "action.shipped",
    "name": "n",
    "offer_text": "o",
    "landing_url": "https://x.example/",
    "campaign_id": "1",
    "address": "me@example.com",
}
#: Junk for any text or number: a byte that was not UTF-8 in argv (Python surrogate-escapes it),
#: control characters, non-ASCII digits, numbers past every limit, dates that do not exist, very
#: long values. No NUL: a command line cannot hold one (exec passes C strings).
JUNK = [
    "",
    " ",
    "\x1b[2J",
    "a\udcffb",
    "\u00b2",
    "-1",
    "99999999999999999999",
    "9" * 5000,
    "2026-02-30",
    "x" * 10_000,
]


def _commands(app) -> list[tuple[str, str, click.Command]]:
    found = []
    for group_name, group in sorted(app.cli.commands.items()):
        if group_name == "db" or not isinstance(group, click.Group):
            continue
        for name, command in sorted(group.commands.items()):
            if (group_name, name) not in NOT_RUN:
                found.append((group_name, name, command))
    return found


def _args(group: str, name: str, command: click.Command, junk_for: str | None, junk: str) -> list[str]:
    """The command line: junk for one parameter, a usable value for each other required one."""
    args = [group, name]
    for param in command.params:
        if param.name is None or param.name == "help":
            continue
        if param.name == junk_for:
            value = junk
        elif param.required:
            value = VALID.get(param.name, "x")
        else:
            continue
        if isinstance(param, click.Option):
            if param.is_flag:
                continue
            args += [param.opts[0], value]
        else:
            args.append(value)
    return args


def _problem(args: list[str], result) -> str | None:
    shown = " ".join(a if len(a) < 30 else a[:27] + "..." for a in args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"flask {shown!r}: {type(result.exception).__name__}: {str(result.exception)[:200]}"
    if "Traceback" in result.output:
        return f"flask {shown!r}: a traceback in the output"
    return None


def _invoke(runner, db, args: list[str]):
    """One command line, as its own process would run it: nothing left over from the one before."""
    result = runner.invoke(args=args)
    db.session.rollback()
    return result


def test_junk_in_any_cli_parameter_is_never_a_traceback(app, runner, db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a command writing a file by default writes it here
    problems = []
    for group, name, command in _commands(app):
        params = [p for p in command.params if p.name and not (isinstance(p, click.Option) and p.is_flag)]
        for param in params:
            for junk in JUNK:
                args = _args(group, name, command, param.name, junk)
                problem = _problem(args, _invoke(runner, db, args))
                if problem:
                    problems.append(problem)
        missing = [group, name]  # no argument at all: click's own usage error for required ones
        problem = _problem(missing, _invoke(runner, db, missing))
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- files

HEADER = {
    ("customers", "import"): "external_id,email,left_at\n",
    ("tickets", "import"): "id,customer_email,created_at,subject,body\n",
    ("winback", "counts-import"): "month,active_start,new,churned\n",
}
ROW = {
    ("customers", "import"): "c1,ann@example.com,2026-10-01\n",
    ("tickets", "import"): "t1,ann@example.com,2026-10-01,Slow,It is slow\n",
    ("winback", "counts-import"): "2026-10,100,5,3\n",
}


def _files(tmp_path: Path, header: str, row: str) -> dict[str, Path]:
    """Files a person may hand a command: empty, a folder, missing, and the same CSV in
    encodings other than UTF-8, with a BOM, cut mid-character, or binary."""
    text = header + row + row.replace("ann", "bé") + "é,ü,ß\n"
    files: dict[str, object] = {
        "empty": b"",
        "only a header": header.encode(),
        "utf-16": text.encode("utf-16"),
        "utf-16 without BOM": text.encode("utf-16-le"),
        "latin-1": text.encode("latin-1"),
        "utf-8 BOM": text.encode("utf-8-sig"),
        "cut in a character": text.encode()[:-2],
        "binary": bytes(range(256)) * 4,
        "NUL bytes": text.encode().replace(b",", b"\x00"),
        "a folder": None,
        "missing": "missing",
    }
    paths: dict[str, Path] = {}
    for label, content in files.items():
        path = tmp_path / label.replace(" ", "-")
        if content is None:
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        paths[label] = path
    return paths


@pytest.mark.parametrize("command", sorted(HEADER), ids=" ".join)
def test_a_bad_file_is_a_short_error_naming_it_never_a_traceback(runner, db, tmp_path, command):
    problems = []
    for label, path in _files(tmp_path, HEADER[command], ROW[command]).items():
        args = [*command, str(path)]
        result = _invoke(runner, db, args)
        problem = _problem(args, result)
        if problem:
            problems.append(f"{label}: {problem}")
        elif label in {"empty", "a folder", "missing", "binary"} and result.exit_code == 0:
            problems.append(f"{label}: exit 0 for a file with nothing to import: {result.output[-300:]!r}")
        elif label.startswith("utf-16") and "UTF-16" not in result.output:
            problems.append(f"{label}: the error does not say UTF-16: {result.output[-300:]!r}")
        elif result.exit_code != 0 and path.name not in result.output:
            problems.append(f"{label}: the error does not name the file: {result.output[-300:]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("command", ["load", "validate", "list"])
def test_survey_folders_with_bad_files_are_a_short_error(runner, db, tmp_path, command):
    folder = tmp_path / "surveys"
    folder.mkdir()
    (folder / "utf16.yaml").write_bytes("key: x\ntitle: é\n".encode("utf-16"))
    (folder / "binary.yaml").write_bytes(bytes(range(256)))
    (folder / "empty.yaml").write_bytes(b"")
    (folder / "list.yaml").write_text("- 1\n- 2\n")
    (folder / "folder.yaml").mkdir()
    result = runner.invoke(args=["surveys", command, "--directory", str(folder)])
    assert _problem(["surveys", command], result) is None, result.output


# ---------------------------------------------------------------- what the walk above found


def test_an_argument_that_is_not_utf8_is_a_usage_error_naming_it(runner, db):
    """Was: the label reached the database as a lone surrogate and the flush failed (a traceback)."""
    result = runner.invoke(args=["apikeys", "create", "--label", "caf\udce9"])
    assert result.exit_code == 2
    assert "Argument 3 (b'caf\\xe9') is not UTF-8 text" in result.output
    assert "Traceback" not in result.output


def test_max_reminders_past_any_use_is_a_usage_error(runner, db):
    """Was: OverflowError from the database driver comparing it in SQL."""
    result = runner.invoke(args=["invitations", "remind", "--max-reminders", "99999999999999999999"])
    assert result.exit_code == 2 and "--max-reminders" in result.output


@pytest.mark.parametrize("out", ["", "folder", "x" * 300])
def test_report_export_to_a_file_it_cannot_write_names_it(runner, db, tmp_path, monkeypatch, out):
    """Was: IsADirectoryError / OSError 'File name too long' as a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    result = runner.invoke(args=["report", "export", "--out", out])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert not isinstance(result.exception, OSError)
    assert "Could not write" in result.output or "Invalid value for '--out'" in result.output
