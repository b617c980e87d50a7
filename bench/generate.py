"""Generate realistic customers at scale, reproducibly (fixed seed).

Writes data/accounts.csv and data/contacts.csv. About 5 % of contacts are planted
duplicates of another contact with typical typos; their `dup_of` column names the
original's external id (empty otherwise), for measuring dedupe recall and precision.
The default duplicates keep their phone and email (only a typo or letter case differs);
with --realistic the names are drawn from larger, weighted lists and the duplicates
differ the way real ones do (see realistic.py). The columns are the same either way.

    .venv/bin/python bench/generate.py --contacts 1000000 --accounts 100000 [--realistic]
"""

import argparse
import csv
import random
import time
from pathlib import Path

import realistic as realistic_contacts

DATA = Path(__file__).resolve().parent / "data"

NAMES = {
    "en": (["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda",
            "William", "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica"],
           ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
            "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White"]),
    "th": (["สมชาย", "สมศรี", "วิชัย", "สุดา", "ประเสริฐ", "มาลี", "อนุชา", "กาญจนา", "ธนา",
            "ปราณี", "สุริยา", "วันเพ็ญ"],
           ["ใจดี", "แก้วมณี", "ศรีสุข", "บุญมี", "วงศ์ใหญ่", "ทองดี", "สุขสวัสดิ์", "จันทร์เพ็ญ",
            "รัตนพันธ์", "พึ่งบุญ"]),
    "fa": (["علی", "مریم", "رضا", "زهرا", "محمد", "فاطمه", "حسین", "سارا", "داریوش", "نگار"],
           ["احمدی", "رضایی", "محمدی", "حسینی", "کریمی", "موسوی", "جعفری", "صادقی", "رحیمی"]),
    "zh": (["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"],
           ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱"]),
}
LATIN = {"th": ["somchai", "somsri", "wichai", "suda", "malee", "anucha", "thana"],
         "fa": ["ali", "maryam", "reza", "zahra", "sara", "dariush", "negar"],
         "zh": ["wei", "fang", "na", "min", "jing", "li", "qiang", "lei"]}
COUNTRIES = {"en": ["US", "GB"], "th": ["TH"], "fa": ["IR"], "zh": ["CN"]}
CITIES = {"US": "New York", "GB": "London", "TH": "กรุงเทพมหานคร", "IR": "تهران", "CN": "上海"}
COMPANY_WORDS = {
    "en": ["Global", "Northwind", "Acme", "Summit", "Harbor", "Pioneer", "Union", "Atlas"],
    "th": ["สยาม", "ข้าวหอม", "รุ่งเรือง", "ไทยพัฒนา", "เจริญ", "มั่นคง"],
    "fa": ["پارس", "تجارت", "آریا", "سپهر", "البرز", "کاسپین"],
    "zh": ["明华", "科技", "东方", "华夏", "长城", "鼎盛"],
}
SUFFIX = {"en": ["Ltd", "Inc", "LLC", "Group"], "th": ["จำกัด", "จำกัด (มหาชน)"],
          "fa": ["سهامی خاص", "و شرکا"], "zh": ["有限公司", "集团"]}


def phone(rng: random.Random, country: str) -> str:
    """A valid-looking mobile number written the way people of that country write it."""
    n = rng.randrange(10**7, 10**8)
    return {
        "US": f"({rng.randrange(201, 989)}) 555-{n % 10000:04d}",
        "GB": f"07{n % 10**9:09d}",
        "TH": f"08{n % 10**8:08d}"[:10],
        "IR": f"0912 {n % 10**7:07d}",
        "CN": f"+86 138 {n % 10**8:08d}",
    }[country]


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: a dropped, doubled or swapped character."""
    if len(text) < 3:
        return text + text[-1]
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1:]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]


def accounts(rng: random.Random, count: int):
    for i in range(count):
        lang = rng.choice(list(NAMES))
        country = rng.choice(COUNTRIES[lang])
        words = COMPANY_WORDS[lang]
        name = f"{rng.choice(words)} {rng.choice(words)} {rng.choice(SUFFIX[lang])} {i}"
        yield {"external_id": f"A{i}", "name": name, "country": country,
               "city": CITIES[country], "lang": lang}


def contact(rng: random.Random, i: int, account: dict, realistic: bool = False) -> dict:
    lang = account["lang"] if rng.random() < 0.8 else rng.choice(list(NAMES))
    if realistic:
        country = rng.choice(COUNTRIES[lang])
        return realistic_contacts.contact(rng, i, account, lang, country, phone(rng, country))
    given, family = rng.choice(NAMES[lang][0]), rng.choice(NAMES[lang][1])
    local = rng.choice(LATIN.get(lang, [given.lower()])) if lang != "en" else given.lower()
    country = rng.choice(COUNTRIES[lang])
    return {"external_id": f"C{i}", "given_name": given, "family_name": family,
            "email": f"{local}.{i}@{rng.choice(['mail', 'corp', 'example'])}.example",
            "phone": phone(rng, country), "account": account["external_id"],
            "company": account["name"], "country": country, "dup_of": ""}


def duplicate(rng: random.Random, i: int, original: dict) -> dict:
    """The same person entered again, differently: typo in a name, email case, phone format."""
    dup = dict(original, external_id=f"C{i}", dup_of=original["external_id"])
    field = rng.choice(["given_name", "family_name", "email"])
    dup[field] = typo(rng, dup[field]) if field != "email" else dup["email"].upper()
    if rng.random() < 0.5:
        dup["phone"] = dup["phone"].replace(" ", "").replace("(", "").replace(")", "-")
    return dup


def realistic_duplicate(rng: random.Random, i: int, original: dict,
                        accounts_by_id: dict) -> dict:
    account = accounts_by_id[original["account"]]
    lang = next(lang for lang, countries in COUNTRIES.items() if original["country"] in countries)
    return realistic_contacts.duplicate(rng, i, original, account, lang, typo,
                                        phone(rng, original["country"]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--duplicates", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--realistic", action="store_true",
                        help="duplicates with other emails and phones, nicknames, swapped "
                             "and romanised names (see realistic.py)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    DATA.mkdir(exist_ok=True)
    started = time.perf_counter()
    all_accounts = list(accounts(rng, args.accounts))
    with open(DATA / "accounts.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["external_id", "name", "country", "city", "lang"])
        writer.writeheader()
        writer.writerows(all_accounts)
    fields = ["external_id", "given_name", "family_name", "email", "phone", "account",
              "company", "country", "dup_of"]
    accounts_by_id = {a["external_id"]: a for a in all_accounts}
    recent: list[dict] = []
    with open(DATA / "contacts.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for i in range(args.contacts):
            if recent and rng.random() < args.duplicates:
                original = rng.choice(recent)
                row = (realistic_duplicate(rng, i, original, accounts_by_id) if args.realistic
                       else duplicate(rng, i, original))
            else:
                row = contact(rng, i, rng.choice(all_accounts), args.realistic)
                recent.append(row)
                if len(recent) > 50_000:
                    recent.pop(rng.randrange(len(recent)))
            writer.writerow(row)
    print(f"wrote {args.accounts:,} accounts and {args.contacts:,} contacts to {DATA} "
          f"in {time.perf_counter() - started:.1f} s (seed {args.seed})")
    print(f"repeat: .venv/bin/python bench/generate.py --contacts {args.contacts} "
          f"--accounts {args.accounts} --seed {args.seed}"
          + (" --realistic" if args.realistic else ""))


if __name__ == "__main__":
    main()
