"""Duplicate accounts: the same organisation entered twice ("Siam Fresh Foods" and "Siam
Fresh Foods Co., Ltd.", one with the website, the other with the phone). The same
engine as contacts (dedupe.find_duplicates) with the organisation's name without its
legal form, the website's domain, the phone in E.164, city and country."""

from collections.abc import Iterator

import duckdb
import pyarrow as pa
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import block_on

from amity.customers.company_names import company_core
from amity.customers.dedupe import (
    LinkageModel,
    Pair,
    Source,
    exact_comparison,
    find_duplicates,
    text_sql,
)

ACCOUNT_COLUMNS = ("name", "website", "phone_e164", "city", "country")


def _prepare_accounts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""
        create table accounts_typed as
        select unique_id, {text_sql("name")} as name,
               nullif(regexp_extract({text_sql("website")},
                                     '^(?:[a-z]+://)?(?:www\\.)?([^/:?#]+)', 1), '') as domain,
               nullif(trim(cast(phone_e164 as varchar)), '') as phone_e164,
               {text_sql("city")} as city,
               nullif(upper(trim(cast(country as varchar))), '') as country
        from raw_records
    """).fetchall()  # noqa: S608
    names = [row[0] for row in con.execute(
        "select distinct name from accounts_typed where name is not null").fetchall()]
    con.register("account_names", pa.table({
        "name": names, "core": [company_core(n) or None for n in names]}))
    con.execute("""
        create table prepared as
        select a.unique_id, a.name, n.core as name_core, a.domain, a.phone_e164, a.city,
               a.country
        from accounts_typed a left join account_names n on n.name = a.name
    """).fetchall()


def _account_comparisons() -> list:
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name_core"),
            cll.ExactMatchLevel("name").configure(m_probability=0.5, u_probability=1e-5),
            cll.ExactMatchLevel("name_core").configure(m_probability=0.3, u_probability=1e-4),
            cll.CustomLevel("jaro_winkler_similarity(name_core_l, name_core_r) >= 0.92 "
                            "and least(length(name_core_l), length(name_core_r)) >= 4",
                            label_for_charts="Similar names").configure(
                m_probability=0.12, u_probability=1e-3),
            cll.ElseLevel().configure(m_probability=0.08, u_probability=0.9989),
        ],
    )
    return [name, exact_comparison("domain", 0.8, 1e-5),
            exact_comparison("phone_e164", 0.7, 1e-5), exact_comparison("city", 0.8, 0.05),
            exact_comparison("country", 0.95, 0.2)]


ACCOUNTS = LinkageModel(
    columns=ACCOUNT_COLUMNS,
    prepare=_prepare_accounts,
    comparisons=_account_comparisons,
    blocking_rules=(
        block_on("domain"),
        block_on("phone_e164"),
        block_on("name_core"),
        block_on("substr(name_core, 1, 6)", "city"),
    ),
    # Same domain trains the name, phone and place weights; same name the rest.
    training_rules=(block_on("domain"), block_on("name_core")),
    sure_keys=("domain", "phone_e164"),
)


def find_duplicate_accounts(source: Source, *, threshold: float = 0.9,
                            id_column: str = "id") -> list[Pair]:
    """Pairs (id_l, id_r, match probability) of accounts likely to be one organisation."""
    return find_duplicates(source, ACCOUNTS, threshold=threshold, id_column=id_column)


def _with_e164(rows) -> Iterator[dict]:
    from django.core.exceptions import ValidationError

    from amity.core.phones import to_e164

    for row in rows:
        phone = row.pop("phone")
        try:
            row["phone_e164"] = to_e164(phone, region=row["country"]) if phone else ""
        except ValidationError:
            row["phone_e164"] = ""
        yield row


def account_duplicate_candidates(*, user, threshold: float = 0.9) -> list[Pair]:
    """Pairs (account id, account id, probability) among the accounts `user` may see."""
    from amity.customers.models import Account

    rows = Account.objects.visible_to(user).values("id", "name", "website", "phone", "city",
                                                   "country")
    return find_duplicate_accounts(_with_e164(rows.iterator(chunk_size=5000)),
                                   threshold=threshold)
