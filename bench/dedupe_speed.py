"""Time the duplicate-contact finder on the generated contacts, with recall and precision.

Runs amity.customers.dedupe.find_duplicate_contacts over data/contacts.csv through
DuckDB only (no Django, no database). Phones are turned into E.164 in SQL the way
the generator writes them (the product stores phone_e164 already). The truth is the
`dup_of` column: a found pair is true when one row is the other's original or both
are duplicates of the same original.

Recall and precision are also printed at a few higher thresholds (one run, the pairs
filtered), to show the trade-off.

    .venv/bin/python bench/generate.py --realistic
    .venv/bin/python bench/dedupe_speed.py --rows 100000
"""

import argparse
import resource
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from amity.customers.dedupe import find_duplicate_contacts

DATA = Path(__file__).resolve().parent / "data"

# Country calling codes of the generator's countries; national numbers drop the 0.
E164_SQL = """
    case
        when trim(phone) like '+%' then '+' || regexp_replace(phone, '[^0-9]', '', 'g')
        when country = 'US' then '+1' || regexp_replace(phone, '[^0-9]', '', 'g')
        else (case country when 'GB' then '+44' when 'TH' then '+66' when 'IR' then '+98'
                           else '+' end)
             || ltrim(regexp_replace(phone, '[^0-9]', '', 'g'), '0')
    end
"""


def load(con: duckdb.DuckDBPyConnection, path: Path, rows: int) -> duckdb.DuckDBPyRelation:
    """The first `rows` contacts with the columns the finder reads, and the truth."""
    con.execute(f"""
        create table contacts as
        select external_id as id, given_name, family_name, email,
               {E164_SQL} as phone_e164, company, country,
               coalesce(nullif(dup_of, ''), external_id) as person
        from read_csv(?, all_varchar = true)
        limit {int(rows)}
    """, [str(path)]).fetchall()
    return con.sql("select id, given_name, family_name, email, phone_e164, company, country "
                   "from contacts")


def score(con: duckdb.DuckDBPyConnection, pairs: list) -> tuple[int, int, int]:
    """(true pairs found, pairs found, true pairs planted)."""
    planted = con.execute("select coalesce(sum(n * (n - 1) / 2), 0) from "
                          "(select count(*) as n from contacts group by person)").fetchall()
    person = dict(con.execute("select id, person from contacts").fetchall())
    found_true = sum(1 for left, right, _p in pairs if person[left] == person[right])
    return found_true, len(pairs), int(planted[0][0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--data", type=Path, default=DATA / "contacts.csv")
    args = parser.parse_args()
    con = duckdb.connect()
    relation = load(con, args.data, args.rows)
    count = con.execute("select count(*) from contacts").fetchall()[0][0]
    started = time.perf_counter()
    pairs = find_duplicate_contacts(relation, threshold=args.threshold)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"contacts: {count:,}  wall time: {elapsed:.1f} s  peak RSS: {peak_mib:,.0f} MiB")
    for threshold in sorted({args.threshold, 0.95, 0.99, 0.999}):
        if threshold < args.threshold:
            continue
        found_true, found, planted = score(con, [p for p in pairs if p[2] >= threshold])
        recall = found_true / planted if planted else 1.0
        precision = found_true / found if found else 1.0
        print(f"threshold {threshold}: recall {recall:.4f}  precision {precision:.4f}  "
              f"(planted pairs {planted:,}, found {found:,})")
    print(f"repeat: .venv/bin/python bench/dedupe_speed.py --rows {args.rows} "
          f"--threshold {args.threshold}")


if __name__ == "__main__":
    main()
