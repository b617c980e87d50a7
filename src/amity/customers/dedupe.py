"""Duplicate records found by probabilistic record linkage (Splink on DuckDB).

The finder knows nothing of Django: it reads plain rows (dicts, a CSV or Parquet file,
or a DuckDB relation), so it can run on a read-only snapshot. Pairs of records that
share a blocking key are scored with a Fellegi-Sunter model. On a large base the model
learns from the data: u probabilities by random sampling (fixed seed), m probabilities
by expectation maximisation over blocked pairs, so the weights fit this base's habits.
A small base (a test, a new install) has too few pairs to learn from and keeps the
priors set on each level. Contacts are described here, accounts in dedupe_accounts."""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from anyascii import anyascii
from nicknames import NickNamer
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from amity.core.letter_forms import ARABIC_FORMS, PERSIAN_FORMS
from amity.customers.company_names import company_core

SEED = 2026
U_SAMPLE_PAIRS = 5_000_000
MIN_RECORDS_TO_SAMPLE_U = 100  # below this the priors' u probabilities are used
MIN_RECORDS_FOR_EM = 5_000  # below this too few true pairs to learn m probabilities from

Pair = tuple[Any, Any, float]
Source = Iterable[Mapping[str, Any]] | str | Path | duckdb.DuckDBPyRelation


@dataclass(frozen=True)
class LinkageModel:
    """What to compare for one kind of record, and how to learn the weights."""

    columns: tuple[str, ...]  # read from the source (missing ones are null)
    prepare: Callable[[duckdb.DuckDBPyConnection], None]  # raw_records -> prepared
    comparisons: Callable[[], list]
    blocking_rules: tuple
    training_rules: tuple  # EM passes; together they train every comparison
    sure_keys: tuple[str, ...]  # columns whose equality nearly always means one record


def text_sql(col: str) -> str:
    """NFC, trimmed, lower case; empty text as null."""
    return f"nullif(lower(nfc_normalize(trim(cast({col} as varchar)))), '')"


def load(con: duckdb.DuckDBPyConnection, source: Source, id_column: str,
         columns: tuple[str, ...]) -> None:
    """Put the source into the table `raw_records` with every expected column present."""
    if isinstance(source, duckdb.DuckDBPyRelation):
        con.register("raw_in", source.to_arrow_table())
    elif isinstance(source, str | Path):
        con.execute("create view raw_in as select * from read_csv(?, all_varchar=true)"
                    if str(source).endswith(".csv") else
                    "create view raw_in as select * from read_parquet(?)",
                    [str(source)]).fetchall()
    else:
        rows = [dict(row) for row in source]
        table = pa.Table.from_pylist(rows) if rows else pa.table({id_column: pa.array([])})
        con.register("raw_in", table)
    present = {row[0] for row in con.execute("describe raw_in").fetchall()}
    if not id_column.isidentifier() or id_column not in present:
        raise ValueError(f"The records have no {id_column!r} column.")
    # Only identifiers checked above and the models' constant columns go into the SQL text.
    cols = ", ".join(f'"{c}"' if c in present else f"null::varchar as {c}" for c in columns)
    con.execute(f'create table raw_records as select "{id_column}" as unique_id, {cols} '  # noqa: S608
                "from raw_in").fetchall()


def _prior_match_rate(con: duckdb.DuckDBPyConnection, keys: tuple[str, ...],
                      recall: float = 0.6) -> float:
    """Share of all pairs that match, from pairs sharing a sure key (as Splink's
    estimate_probability_two_random_records_match does), kept inside (0, 1) for tiny sets.
    `recall`: the share of true pairs that share one of those keys."""
    same = " union ".join(
        f"select l.unique_id, r.unique_id from prepared l join prepared r "  # noqa: S608
        f"on l.{key} = r.{key} and l.unique_id < r.unique_id" for key in keys)
    matched, count = con.execute(
        f"select (select count(*) from ({same})), (select count(*) from prepared)"  # noqa: S608
    ).fetchall()[0]
    pairs = max(count * (count - 1) / 2, 1)
    return min(max(matched / recall / pairs, 1e-9), 0.5)


def _train(linker: Linker, model: LinkageModel, count: int) -> None:
    if count >= MIN_RECORDS_TO_SAMPLE_U:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=SEED)
    if count >= MIN_RECORDS_FOR_EM:
        for rule in model.training_rules:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)


def find_duplicates(source: Source, model: LinkageModel, *, threshold: float = 0.9,
                    id_column: str = "id") -> list[Pair]:
    """Pairs (id_l, id_r, match probability) of records likely to be one."""
    con = duckdb.connect()
    try:
        load(con, source, id_column, model.columns)
        model.prepare(con)
        count = con.execute("select count(*) from prepared").fetchall()[0][0]
        if count < 2:
            return []
        settings = SettingsCreator(
            link_type="dedupe_only",
            comparisons=model.comparisons(),
            blocking_rules_to_generate_predictions=list(model.blocking_rules),
            retain_matching_columns=False,
            retain_intermediate_calculation_columns=False,
            probability_two_random_records_match=_prior_match_rate(con, model.sure_keys),
        )
        linker = Linker(DuckDBAPI(con).register("prepared"), settings,
                        log_level=logging.WARNING)
        _train(linker, model, count)
        scored = linker.inference.predict(threshold_match_probability=threshold)
        rows = scored.as_duckdbpyrelation().select(
            "unique_id_l, unique_id_r, match_probability").fetchall()
    finally:
        con.close()
    return sorted(((left, right, float(p)) for left, right, p in rows),
                  key=lambda pair: (-pair[2], str(pair[0]), str(pair[1])))


# --- Contacts ---------------------------------------------------------------------------

CONTACT_COLUMNS = ("given_name", "family_name", "email", "phone_e164", "company", "country")
NICKNAMES = NickNamer()


def roman(name: str) -> str:
    """The name in plain Latin letters (pinyin for Chinese), for comparing across scripts."""
    return "".join(ch for ch in anyascii(name).lower() if ch.isalnum())


def aliases(name: str) -> list[str]:
    """The name and the formal names it is a nickname of (Bill: William, Robert…)."""
    return sorted({name, *NICKNAMES.canonicals_of(name)}) if name.isascii() else [name]


def name_sql(col: str) -> str:
    """A name as compared: Arabic yeh and kaf as the Persian letters, no spaces or ZWNJ
    (امیر علی, اميرعلى), so the same name typed on two keyboards is equal."""
    return (f"nullif(replace(replace(translate({text_sql(col)}, '{ARABIC_FORMS}', "
            f"'{PERSIAN_FORMS}'), ' ', ''), chr(8204), ''), '')")


def _prepare_contacts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        create table names_typed as
        select unique_id, {name_sql("given_name")} as given_name,
               {name_sql("family_name")} as family_name, {text_sql("email")} as email,
               nullif(trim(cast(phone_e164 as varchar)), '') as phone_e164,
               {text_sql("company")} as company,
               nullif(upper(trim(cast(country as varchar))), '') as country
        from raw_records
    """).fetchall()  # noqa: S608
    # Romanise and look up nicknames once per distinct name, not once per record.
    names = [row[0] for row in con.execute(
        "select given_name from names_typed where given_name is not null union "
        "select family_name from names_typed where family_name is not null").fetchall()]
    con.register("name_forms", pa.table({
        "name": names, "roman": [roman(n) for n in names],
        "aliases": [aliases(n) for n in names],
    }))
    companies = [row[0] for row in con.execute(
        "select distinct company from names_typed where company is not null").fetchall()]
    con.register("company_forms", pa.table({
        "company": companies, "core": [company_core(c) or None for c in companies]}))
    con.execute("""
        create table prepared as
        select t.unique_id, t.given_name, t.family_name,
               case when t.family_name is not null then
                   array_to_string(list_sort([coalesce(g.roman, ''), f.roman]), ' ') end
                   as name_key,
               coalesce(g.aliases, []) as given_aliases,
               t.email,
               t.phone_e164, t.company, c.core as company_core,
               t.country
        from names_typed t
        left join name_forms g on g.name = t.given_name
        left join name_forms f on f.name = t.family_name
        left join company_forms c on c.company = t.company
    """).fetchall()


def _one_edit(col: str) -> str:
    # One edit between one-character names (王 / 李) is no evidence: three or more.
    return (f"(damerau_levenshtein({col}_l, {col}_r) <= 1 "
            f"and least(length({col}_l), length({col}_r)) >= 3)")


def _contains(col: str) -> str:
    return f"(contains({col}_l, {col}_r) or contains({col}_r, {col}_l))"


def _name_comparison() -> cl.CustomComparison:
    """Given and family name together, so a swapped order is one piece of evidence."""
    same_family = "family_name_l = family_name_r"
    same_given = "given_name_l = given_name_r"
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("family_name"),
            cll.CustomLevel(f"{same_given} and {same_family}", label_for_charts="Same name")
            .configure(m_probability=0.60, u_probability=1e-4),
            cll.CustomLevel("name_key_l = name_key_r",
                            label_for_charts="Same names, other order or script")
            .configure(m_probability=0.12, u_probability=1e-5),
            cll.CustomLevel(f"{same_family} and list_has_any(given_aliases_l, given_aliases_r)",
                            label_for_charts="Nickname").configure(
                m_probability=0.04, u_probability=1e-5),
            cll.CustomLevel(f"({same_family} and {_one_edit('given_name')}) or "
                            f"({same_given} and {_one_edit('family_name')})",
                            label_for_charts="One edit in one name")
            .configure(m_probability=0.15, u_probability=1e-5),
            # 亮 and 亮亮, Em and Emily: one written shorter, the other name the same.
            cll.CustomLevel(f"({same_family} and {_contains('given_name')}) or "
                            f"({same_given} and {_contains('family_name')})",
                            label_for_charts="One name inside the other")
            .configure(m_probability=0.03, u_probability=1e-4),
            cll.CustomLevel("jaro_winkler_similarity(given_name_l, given_name_r) >= 0.88 and "
                            "jaro_winkler_similarity(family_name_l, family_name_r) >= 0.88",
                            label_for_charts="Both names similar")
            .configure(m_probability=0.04, u_probability=1e-3),
            cll.ElseLevel().configure(m_probability=0.03, u_probability=0.999),
        ],
    )


def _email_comparison() -> cl.CustomComparison:
    """Exact address or not. The local part alone is left out: it mostly repeats the
    name (jian.liu@…), which the name comparison already counts."""
    return cl.CustomComparison(
        output_column_name="email",
        comparison_levels=[
            cll.NullLevel("email"),
            cll.ExactMatchLevel("email").configure(m_probability=0.6, u_probability=1e-6),
            cll.ElseLevel().configure(m_probability=0.4, u_probability=1 - 1e-6),
        ],
    )


def exact_comparison(column: str, m: float, u: float) -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column).configure(m_probability=m, u_probability=u),
            cll.ElseLevel().configure(m_probability=1 - m, u_probability=1 - u),
        ],
    )


def _contact_comparisons() -> list:
    company = cl.CustomComparison(
        output_column_name="company",
        comparison_levels=[
            cll.NullLevel("company"),
            cll.ExactMatchLevel("company").configure(m_probability=0.75, u_probability=1e-4),
            cll.ExactMatchLevel("company_core").configure(m_probability=0.1, u_probability=1e-3),
            cll.ElseLevel().configure(m_probability=0.15, u_probability=0.9989),
        ],
    )
    return [_name_comparison(), _email_comparison(),
            exact_comparison("phone_e164", 0.7, 1e-6), company,
            exact_comparison("country", 0.95, 0.3)]


# Only pairs sharing one of these keys are compared. Each keeps blocks small even with
# common names: names are only used together with the company.
CONTACTS = LinkageModel(
    columns=CONTACT_COLUMNS,
    prepare=_prepare_contacts,
    comparisons=_contact_comparisons,
    blocking_rules=(
        block_on("phone_e164"),
        block_on("email"),
        block_on("family_name", "company"),
        block_on("given_name", "company"),
        # Swapped or romanised names at the same company. Not the name alone: in a base
        # where many share a name (王伟) its block grows with the square of the base.
        block_on("name_key", "company"),
    ),
    # Pairs sharing a phone train the name, email and company weights; pairs with the
    # same family name at one company train email, phone and country.
    training_rules=(block_on("phone_e164"), block_on("family_name", "company")),
    sure_keys=("email", "phone_e164"),
)


def find_duplicate_contacts(source: Source, *, threshold: float = 0.9,
                            id_column: str = "id") -> list[Pair]:
    """Pairs (id_l, id_r, match probability) of contacts likely to be the same person."""
    return find_duplicates(source, CONTACTS, threshold=threshold, id_column=id_column)


def contact_duplicate_candidates(*, user, threshold: float = 0.9) -> list[Pair]:
    """Pairs (contact id, contact id, probability) among the contacts `user` may see."""
    from django.db.models import F

    from amity.customers.models import Contact

    rows = Contact.objects.visible_to(user).values(
        "id", "given_name", "family_name", "email", "phone_e164", "country",
        company=F("account__name"),
    )
    return find_duplicate_contacts(rows.iterator(chunk_size=5000), threshold=threshold)
