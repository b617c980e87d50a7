"""Duplicate contacts found by probabilistic record linkage (Splink on DuckDB).

The finder knows nothing of Django: it reads plain rows (dicts, a CSV or Parquet file,
or a DuckDB relation), so it can run on a read-only snapshot. Each pair of contacts
that share a blocking key (phone, email, email local part, or name at the same
company) is scored with a Fellegi-Sunter model: m probabilities are set as priors
below, u probabilities are estimated by random sampling (fixed seed) and the prior
match rate from deterministic rules. `contact_duplicate_candidates` is the Django
side: it reads only the contacts the user may see."""

import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

SEED = 2026
U_SAMPLE_PAIRS = 2_000_000
MIN_RECORDS_TO_SAMPLE_U = 100  # below this the priors' u probabilities are used
COLUMNS = ("given_name", "family_name", "email", "phone_e164", "company", "country")

Pair = tuple[Any, Any, float]
Source = Iterable[Mapping[str, Any]] | str | Path | duckdb.DuckDBPyRelation

# Blocking keys: only pairs sharing one of these are compared. Each keeps blocks small
# even with common names, because names are only used together with the company.
BLOCKING_RULES = [
    block_on("phone_e164"),
    block_on("email"),
    block_on("email_local"),
    block_on("family_name", "substr(given_name, 1, 1)", "company"),
    block_on("given_name", "company"),
]


def _name_comparison(column: str) -> cl.CustomComparison:
    """Exact, one edit (a dropped, doubled or swapped character), similar, different."""
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(m_probability=0.80, u_probability=0.05),
            # One edit between one-character names (王 / 李) is no evidence: three or more.
            cll.CustomLevel(
                f"damerau_levenshtein({column}_l, {column}_r) <= 1 "
                f"and least(length({column}_l), length({column}_r)) >= 3",
                label_for_charts=f"One edit in {column}",
            ).configure(m_probability=0.14, u_probability=0.005),
            cll.CustomLevel(
                f"jaro_winkler_similarity({column}_l, {column}_r) >= 0.88 "
                f"and least(length({column}_l), length({column}_r)) >= 3",
                label_for_charts=f"Jaro-Winkler >= 0.88 in {column}",
            ).configure(m_probability=0.03, u_probability=0.02),
            cll.ElseLevel().configure(m_probability=0.03, u_probability=0.925),
        ],
    )


def _email_comparison() -> cl.CustomComparison:
    """Exact address, same local part, local part one edit apart, different."""
    return cl.CustomComparison(
        output_column_name="email",
        comparison_levels=[
            cll.NullLevel("email"),
            cll.ExactMatchLevel("email").configure(m_probability=0.88, u_probability=1e-6),
            cll.ExactMatchLevel("email_local").configure(m_probability=0.04, u_probability=1e-5),
            cll.DamerauLevenshteinLevel("email_local", 1).configure(
                m_probability=0.04, u_probability=1e-4),
            cll.ElseLevel().configure(m_probability=0.04, u_probability=0.9999),
        ],
    )


def _comparisons() -> list:
    phone = cl.CustomComparison(
        output_column_name="phone_e164",
        comparison_levels=[
            cll.NullLevel("phone_e164"),
            cll.ExactMatchLevel("phone_e164").configure(m_probability=0.85, u_probability=1e-6),
            cll.ElseLevel().configure(m_probability=0.15, u_probability=0.999999),
        ],
    )
    company = cl.CustomComparison(
        output_column_name="company",
        comparison_levels=[
            cll.NullLevel("company"),
            cll.ExactMatchLevel("company").configure(m_probability=0.75, u_probability=1e-4),
            cll.JaroWinklerLevel("company", 0.9).configure(m_probability=0.1, u_probability=1e-3),
            cll.ElseLevel().configure(m_probability=0.15, u_probability=0.9989),
        ],
    )
    country = cl.CustomComparison(
        output_column_name="country",
        comparison_levels=[
            cll.NullLevel("country"),
            cll.ExactMatchLevel("country").configure(m_probability=0.95, u_probability=0.3),
            cll.ElseLevel().configure(m_probability=0.05, u_probability=0.7),
        ],
    )
    return [_name_comparison("given_name"), _name_comparison("family_name"),
            _email_comparison(), phone, company, country]


def _load(con: duckdb.DuckDBPyConnection, source: Source, id_column: str) -> None:
    """Put the source into the table `raw_contacts` with every expected column present."""
    if isinstance(source, duckdb.DuckDBPyRelation):
        con.register("raw_contacts_in", source.to_arrow_table())
    elif isinstance(source, str | Path):
        con.execute("create view raw_contacts_in as select * from read_csv(?, all_varchar=true)"
                    if str(source).endswith(".csv") else
                    "create view raw_contacts_in as select * from read_parquet(?)",
                    [str(source)]).fetchall()
    else:
        rows = [dict(row) for row in source]
        table = pa.Table.from_pylist(rows) if rows else pa.table({id_column: pa.array([])})
        con.register("raw_contacts_in", table)
    present = {row[0] for row in con.execute("describe raw_contacts_in").fetchall()}
    if not id_column.isidentifier() or id_column not in present:
        raise ValueError(f"The contacts have no {id_column!r} column.")
    # Only identifiers checked above and the constant COLUMNS go into the SQL text.
    cols = ", ".join(f'"{c}"' if c in present else f"null::varchar as {c}" for c in COLUMNS)
    con.execute(f'create table raw_contacts as select "{id_column}" as unique_id, {cols} '  # noqa: S608
                "from raw_contacts_in").fetchall()


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Normalise: NFC, trimmed, lower-case names and emails, empty text as null."""
    def text(col: str) -> str:
        return f"nullif(lower(nfc_normalize(trim(cast({col} as varchar)))), '')"

    # Constant column names only go into the SQL text.
    con.execute(f"""
        create table contacts_prepared as
        select unique_id,
               {text("given_name")} as given_name,
               {text("family_name")} as family_name,
               {text("email")} as email,
               nullif(regexp_extract({text("email")}, '^[^@]+'), '') as email_local,
               nullif(trim(cast(phone_e164 as varchar)), '') as phone_e164,
               {text("company")} as company,
               nullif(upper(trim(cast(country as varchar))), '') as country
        from raw_contacts
    """).fetchall()  # noqa: S608


def _prior_match_rate(con: duckdb.DuckDBPyConnection, recall: float = 0.8) -> float:
    """Share of all pairs that match, from pairs sharing an email or a phone (as Splink's
    estimate_probability_two_random_records_match does), kept inside (0, 1) for tiny sets."""
    same = " union ".join(
        f"select l.unique_id, r.unique_id from contacts_prepared l join contacts_prepared r "  # noqa: S608
        f"on l.{key} = r.{key} and l.unique_id < r.unique_id" for key in ("email", "phone_e164"))
    matched, count = con.execute(
        f"select (select count(*) from ({same})), (select count(*) from contacts_prepared)"  # noqa: S608
    ).fetchall()[0]
    pairs = max(count * (count - 1) / 2, 1)
    return min(max(matched / recall / pairs, 1e-9), 0.5)


def _train(linker: Linker, count: int) -> None:
    """u by random sampling (fixed seed) when there are enough records that random pairs
    are nearly all non-matches; m stays at the priors."""
    if count >= MIN_RECORDS_TO_SAMPLE_U:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=SEED)


def find_duplicate_contacts(source: Source, *, threshold: float = 0.9,
                            id_column: str = "id") -> list[Pair]:
    """Pairs (id_l, id_r, match probability) of contacts likely to be the same person."""
    con = duckdb.connect()
    try:
        _load(con, source, id_column)
        _prepare(con)
        count = con.execute("select count(*) from contacts_prepared").fetchall()[0][0]
        if count < 2:
            return []
        db_api = DuckDBAPI(con)
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=_comparisons(),
            blocking_rules_to_generate_predictions=BLOCKING_RULES,
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=False,
            probability_two_random_records_match=_prior_match_rate(con),
        )
        linker = Linker(db_api.register("contacts_prepared"), settings,
                        log_level=logging.WARNING)
        _train(linker, count)
        scored = linker.inference.predict(threshold_match_probability=threshold)
        rows = scored.as_duckdbpyrelation().select(
            "unique_id_l, unique_id_r, match_probability").fetchall()
    finally:
        con.close()
    return sorted(((left, right, float(p)) for left, right, p in rows),
                  key=lambda pair: (-pair[2], str(pair[0]), str(pair[1])))


def contact_duplicate_candidates(*, user, threshold: float = 0.9) -> list[Pair]:
    """Pairs (contact id, contact id, probability) among the contacts `user` may see."""
    from django.db.models import F

    from amity.customers.models import Contact

    rows = Contact.objects.visible_to(user).values(
        "id", "given_name", "family_name", "email", "phone_e164", "country",
        company=F("account__name"),
    )
    return find_duplicate_contacts(rows.iterator(chunk_size=5000), threshold=threshold)
