"""Contacts and duplicates the way a real customer base has them (generate.py --realistic).

Names come from Faker's per-country name lists (with their frequency weights where Faker
has them: Smith is common, Zabriskie rare), so two people share a name about as often as
they do in life. A planted duplicate is the same person entered again by someone else:
perhaps with a personal address instead of the work one, no phone or another phone, a
typo, a nickname (Bill for William), the family name first, the name romanised (王伟 as
Wang Wei) or written with Arabic instead of Persian letters, or without the company."""

import random
from itertools import accumulate

from anyascii import anyascii
from faker.providers.person import en_US, fa_IR, th_TH, zh_CN
from nicknames import NickNamer


def _weighted(names) -> tuple[list[str], list[float]]:
    """Names with cumulative weights (uniform where Faker gives no frequencies)."""
    names = dict(names) if isinstance(names, dict) else dict.fromkeys(names, 1.0)
    return list(names), list(accumulate(names.values()))


POOLS = {
    "en": (_weighted(en_US.Provider.first_names), _weighted(en_US.Provider.last_names)),
    "th": (_weighted(th_TH.Provider.first_names), _weighted(th_TH.Provider.last_names)),
    "fa": (_weighted(fa_IR.Provider.first_names), _weighted(fa_IR.Provider.last_names)),
    "zh": (_weighted(zh_CN.Provider.first_names), _weighted(zh_CN.Provider.last_names)),
}
PERSONAL_DOMAINS = ["gmail", "yahoo", "outlook", "hotmail", "qq", "163"]
# Persian text typed on an Arabic keyboard: the same name with Arabic yeh and kaf.
ARABIC_FORMS = str.maketrans({"ی": "ي", "ک": "ك"})
NICKNAMES = NickNamer()


def pick(rng: random.Random, pool: tuple[list[str], list[float]]) -> str:
    names, weights = pool
    return rng.choices(names, cum_weights=weights)[0]


def roman(name: str) -> str:
    """An ASCII spelling for email addresses (pinyin for Chinese)."""
    return "".join(ch for ch in anyascii(name).lower() if ch.isalnum())


def domain(account: dict) -> str:
    return f"{roman(account['name'].split()[0]) or 'company'}{account['external_id'][1:]}.example"


def personal_email(rng: random.Random, given: str, family: str) -> str:
    local = rng.choice([f"{roman(given)}.{roman(family)}", f"{roman(given)}{roman(family)}",
                        f"{roman(given)[:1]}{roman(family)}"])
    return f"{local}{rng.randrange(1, 1000)}@{rng.choice(PERSONAL_DOMAINS)}.example"


def work_email(given: str, family: str, account: dict) -> str:
    return f"{roman(given)}.{roman(family)}@{domain(account)}"


def contact(rng: random.Random, i: int, account: dict, lang: str, country: str,
            phone: str) -> dict:
    given_pool, family_pool = POOLS[lang]
    given, family = pick(rng, given_pool), pick(rng, family_pool)
    kind = rng.random()
    email = (work_email(given, family, account) if kind < 0.6
             else personal_email(rng, given, family) if kind < 0.9 else "")
    return {"external_id": f"C{i}", "given_name": given, "family_name": family,
            "email": email, "phone": phone if rng.random() < 0.85 else "",
            "account": account["external_id"], "company": account["name"],
            "country": country, "dup_of": ""}


def _nickname(rng: random.Random, given: str) -> str | None:
    nicks = sorted(NICKNAMES.nicknames_of(given.lower()))
    return rng.choice(nicks).title() if nicks else None


def _transliterated(rng: random.Random, dup: dict, lang: str) -> bool:
    if lang == "zh":  # romanised, given name first as in Latin order
        dup["given_name"], dup["family_name"] = (anyascii(dup["given_name"]),
                                                 anyascii(dup["family_name"]))
        return True
    if lang == "fa":
        variant = {k: dup[k].translate(ARABIC_FORMS).replace(" ", "")
                   for k in ("given_name", "family_name")}
        if variant != {k: dup[k] for k in variant}:
            dup.update(variant)
            return True
    return False


def _change_name(rng: random.Random, dup: dict, lang: str, typo) -> None:
    r = rng.random()
    if r < 0.30:
        return
    if r < 0.40 and lang == "en" and (nick := _nickname(rng, dup["given_name"])):
        dup["given_name"] = nick
    elif r < 0.50:
        dup["given_name"], dup["family_name"] = dup["family_name"], dup["given_name"]
    elif r < 0.62 and _transliterated(rng, dup, lang):
        return
    elif r < 0.70:
        dup["given_name"], dup["family_name"] = dup["given_name"].upper(), dup["family_name"]
    else:
        field = rng.choice(["given_name", "family_name"])
        dup[field] = typo(rng, dup[field])


def duplicate(rng: random.Random, i: int, original: dict, account: dict, lang: str,
              typo, new_phone) -> dict:
    """The same person entered again by someone else."""
    dup = dict(original, external_id=f"C{i}", dup_of=original["external_id"])
    _change_name(rng, dup, lang, typo)
    r = rng.random()
    if r < 0.45:
        dup["email"] = original["email"].upper() if rng.random() < 0.3 else original["email"]
    elif r < 0.75:  # the other of work and personal
        dup["email"] = (personal_email(rng, original["given_name"], original["family_name"])
                        if account["external_id"] and domain(account) in original["email"]
                        else work_email(original["given_name"], original["family_name"],
                                        account))
    else:
        dup["email"] = ""
    r = rng.random()
    if r < 0.45:
        dup["phone"] = original["phone"].replace(" ", "").replace("(", "").replace(")", "-")
    elif r < 0.75:
        dup["phone"] = ""
    else:
        dup["phone"] = new_phone
    if rng.random() < 0.08:  # signed up as a consumer, no company given
        dup["account"] = dup["company"] = ""
    return dup
