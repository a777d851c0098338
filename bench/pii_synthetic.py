"""Synthetic stress test of personal-data redaction: Faker values planted in exit-answer templates.

Hand-written dev lists close the forms they show; this test plants thousands of values that no
rule here was written for (names of ~40 Latin-script locales, each locale's phones, e-mails,
street addresses, postcodes, IBANs, national IDs, usernames, licence plates and cards) into
sentence templates, beside texts of brands, products, competitors and places that must survive.
It is seeded, so a figure can be reproduced; tune with one seed, report another as the check.

Run from the repository root (needs the dev dependency ``faker``; CPU only, ~20 s)::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/pii_synthetic.py [--seed 1] [--n 3000] [-v] [--kind name]

Recall is per planted value (no letter or digit of it survives) by kind and by locale; precision
is redactions overlapping a planted value among all redactions, as in ``bench/pii_eval.py``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faker import Faker  # noqa: E402

from bench.pii_synthetic_templates import PII_TEMPLATES, SURVIVE_TEMPLATES, SURVIVORS  # noqa: E402
from nlp.rules import normalize  # noqa: E402

# Locales whose person names Faker writes in Latin letters (customers of an English survey).
LOCALES = (
    "en_US en_GB en_IE en_IN en_NG en_KE en_PK en_NZ es_ES es_MX es_AR es_CO de_DE de_AT de_CH fr_FR fr_CA "
    "fr_BE pt_BR pt_PT it_IT nl_NL nl_BE pl_PL cs_CZ sk_SK hu_HU ro_RO hr_HR sl_SI sv_SE da_DK no_NO fi_FI "
    "et_EE lt_LT lv_LV tr_TR vi_VN id_ID ga_IE yo_NG ig_NG ha_NG zu_ZA tw_GH az_AZ"
).split()
LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ' .-]+")
# Slots filled per row, and the Faker method (or recipe) behind each.
SLOT_KIND = {
    "full": "name",
    "given": "name",
    "surname": "name",
    "lower_full": "name_lower",
    "lower_given": "name_lower",
    "phone": "phone",
    "email": "email",
    "address": "address",
    "postcode": "postcode",
    "iban": "iban",
    "natid": "national_id",
    "username": "username",
    "plate": "plate",
    "card": "card",
}


def _value(fake: Faker, slot: str) -> str | None:
    """One Faker value for ``slot`` in ``fake``'s locale; None when the locale has no such provider
    or writes it outside Latin letters (then the row is skipped, not scored as a miss)."""
    try:
        if slot in ("full", "lower_full"):
            v = f"{fake.first_name()} {fake.last_name()}"
        elif slot in ("given", "lower_given"):
            v = fake.first_name()
        elif slot == "surname":
            v = fake.last_name()
        elif slot == "phone":
            v = fake.phone_number()
        elif slot == "email":
            v = fake.free_email()
        elif slot == "address":
            v = fake.street_address().replace("\n", ", ")
        elif slot == "postcode":
            v = fake.postcode()
        elif slot == "iban":
            v = fake.iban()
        elif slot == "natid":
            v = fake.ssn()
        elif slot == "username":
            v = fake.user_name()
        elif slot == "plate":
            v = fake.license_plate()
        else:
            v = fake.credit_card_number()
    except AttributeError:
        return None
    if slot in ("full", "given", "surname", "lower_full", "lower_given") and not LATIN.fullmatch(v):
        return None
    return v.lower() if slot.startswith("lower_") else v


def build_rows(seed: int, n: int) -> list[dict]:
    """``n`` rows (four in five with planted values): text, planted spans, their kinds and locale."""
    rng = random.Random(seed)
    fakers = {}
    for loc in LOCALES:
        fake = Faker(loc)
        fake.seed_instance(rng.randrange(1 << 30))
        fakers[loc] = fake
    rows: list[dict] = []
    while len(rows) < n:
        if rng.random() < 0.2:
            template = rng.choice(SURVIVE_TEMPLATES)
            fills = {k: rng.choice(v) for k, v in SURVIVORS.items()}
            rows.append({"text": normalize(template.format(**fills)), "spans": [], "locale": "-"})
            continue
        loc = rng.choice(LOCALES)
        template = rng.choice(PII_TEMPLATES)
        slots = re.findall(r"\{(\w+)\}", template)
        values = {s: _value(fakers[loc], s) if s in SLOT_KIND else rng.choice(SURVIVORS[s]) for s in slots}
        if any(v is None for v in values.values()):
            continue
        text, spans = _fill(template, {s: normalize(v) for s, v in values.items() if v})
        if normalize(text) == text:  # else offsets would move under the pipeline's normalising
            rows.append({"text": text, "spans": spans, "locale": loc})
    return rows


def _fill(template: str, values: dict[str, str]) -> tuple[str, list[tuple[int, int, str]]]:
    """``template`` with its slots filled, and the (start, end, kind) of each planted value, found
    by position (a given name "Ana" also occurs inside "Canada")."""
    out, spans, pos = [], [], 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[pos : m.start()])
        start = sum(map(len, out))
        out.append(values[m.group(1)])
        if m.group(1) in SLOT_KIND:
            spans.append((start, start + len(values[m.group(1)]), SLOT_KIND[m.group(1)]))
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), spans


def score(rows: list[dict], verbose: bool = False, only_kind: str = "") -> dict:
    """Redact every row with the spaCy pipeline and count planted values hit and false redactions."""
    from nlp.models import load_spacy

    nlp = load_spacy("en_core_web_sm")
    texts = [r["text"] for r in rows]
    planted: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    by_locale: Counter[str] = Counter()
    hit_locale: Counter[str] = Counter()
    redactions = true_redactions = 0
    false_words: Counter[str] = Counter()
    for row, text, doc in zip(rows, texts, nlp.pipe(texts), strict=True):
        spans = row["spans"]
        covered = [False] * len(text)
        for start, end, _ in doc._.redactions:
            covered[start:end] = [True] * (end - start)
        for start, end, kind in spans:
            span = text[start:end]
            planted[kind] += 1
            by_locale[row["locale"]] += 1
            if all(covered[i] for i in range(start, end) if text[i].isalnum()):
                hit[kind] += 1
                hit_locale[row["locale"]] += 1
            elif verbose and (not only_kind or kind == only_kind):
                print(f"MISSED {kind:12} {row['locale']:6} {span!r:34} in {doc._.redacted[:160]!r}")
        for start, end, tag in doc._.redactions:
            redactions += 1
            if any(s < end and start < e for s, e, _ in spans):
                true_redactions += 1
            else:
                false_words[text[start:end]] += 1
                if verbose and not only_kind:
                    print(f"FALSE  [{tag}] {text[start:end]!r:34} in {text[:160]!r}")
    return {
        "planted": planted,
        "hit": hit,
        "by_locale": by_locale,
        "hit_locale": hit_locale,
        "redactions": redactions,
        "true_redactions": true_redactions,
        "false_words": false_words,
    }


def report(r: dict, rows: int) -> None:
    """Print recall per kind and per locale (worst first), precision and the most common false words."""
    total, hits = sum(r["planted"].values()), sum(r["hit"].values())
    print(f"{rows} texts, {total} planted values")
    print(f"recall     {hits / total:7.1%}  ({hits} of {total})")
    prec = r["true_redactions"] / r["redactions"] if r["redactions"] else 1.0
    print(f"precision  {prec:7.1%}  ({r['true_redactions']} of {r['redactions']} redactions)")
    print("recall by kind:")
    for kind, n in sorted(r["planted"].items(), key=lambda kv: r["hit"][kv[0]] / kv[1]):
        print(f"  {kind:12} {r['hit'][kind] / n:7.1%}  ({r['hit'][kind]}/{n})")
    worst = sorted(r["by_locale"].items(), key=lambda kv: r["hit_locale"][kv[0]] / kv[1])[:12]
    print("worst locales: " + ", ".join(f"{loc} {r['hit_locale'][loc] / n:.0%}" for loc, n in worst))
    if r["false_words"]:
        print(
            "most redacted non-PII: " + ", ".join(f"{w!r}x{c}" for w, c in r["false_words"].most_common(15))
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--n", type=int, default=3000, help="texts to generate")
    parser.add_argument("--kind", default="", help="with -v, list only the misses of this kind")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and false redactions")
    args = parser.parse_args()
    rows = build_rows(args.seed, args.n)
    report(score(rows, args.verbose, args.kind), len(rows))


if __name__ == "__main__":
    main()
