"""Duplicate contacts by probabilistic record linkage: typo'd re-entries in every script
are found, namesakes are not, and a user's candidates come only from contacts they see."""

import random

import pytest

from amity.core.phones import to_e164
from amity.customers.dedupe import contact_duplicate_candidates, find_duplicate_contacts
from tests.conftest import make_account, make_contact

NAMES = {
    "TH": (["สมชาย", "สมศรี", "วิชัย", "สุดา", "ประเสริฐ", "มาลี"], ["ใจดี", "ศรีสุข", "บุญมี"]),
    "CN": (["伟", "芳", "娜", "敏", "静"], ["王", "李", "张"]),
    "US": (["James", "Mary", "John", "Linda"], ["Smith", "Johnson", "Brown"]),
    "IR": (["علی", "مریم", "رضا", "زهرا"], ["احمدی", "رضایی"]),
}
LOCAL_PHONE = {"TH": "08{:08d}", "CN": "138{:08d}", "US": "(212) 555-{:04d}", "IR": "0912{:07d}"}


def person(rng: random.Random, i: int) -> dict:
    """One distinct contact; common family names repeat on purpose."""
    country = list(NAMES)[i % 4]
    given, family = NAMES[country]
    return {"id": i, "given_name": rng.choice(given), "family_name": rng.choice(family),
            "email": "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=10)) + "@mail.example",
            "phone_e164": to_e164(LOCAL_PHONE[country].format(i), region=country),
            "company": f"Company {i % 40}", "country": country}


def planted() -> tuple[list[dict], set[frozenset]]:
    """180 distinct people and 23 re-entries of some of them, with the true pairs."""
    rng = random.Random(7)
    rows = [person(rng, i) for i in range(180)]
    rows[0] |= {"given_name": "สมศรี", "family_name": "ศรีสุข", "country": "TH"}
    dups = [
        # A dropped letter in a Thai given name; the phone written another way.
        rows[0] | {"id": 1000, "given_name": "สมศร", "email": "",
                   "phone_e164": to_e164("+66 8 0000 0000")},
        # The same email typed in capitals, no phone this time.
        rows[1] | {"id": 1001, "email": rows[1]["email"].upper(), "phone_e164": ""},
        # The same number as written abroad; a new email address.
        rows[2] | {"id": 1002, "email": "new.2@other.example",
                   "phone_e164": to_e164("+1 212-555-0002")},
    ]
    for n, original in enumerate(rows[10:27]):
        field = ("given_name", "family_name", "email")[n % 3]
        text = original[field]
        typo = text.upper() if field == "email" else text + text[-1]
        dups.append(original | {"id": 1000 + original["id"], field: typo})
    # Re-entered at the same company with another email and no phone: only the name
    # (written another way) and the company say it is the same person.
    for i, given, family, again_given, again_family in (
        (30, "William", "Johnson", "Bill", "Johnson"),  # a nickname
        (31, "伟", "王", "Wei", "Wang"),  # romanised, given name first
        (32, "Mary", "Brown", "Brown", "Mary"),  # given and family swapped
    ):
        rows[i] |= {"given_name": given, "family_name": family}
        dups.append(rows[i] | {"id": 1000 + i, "given_name": again_given,
                               "family_name": again_family, "phone_e164": "",
                               "email": f"other.{i}@home.example"})
    truth = {frozenset((dup["id"] - 1000, dup["id"])) for dup in dups}
    return rows + dups, truth


@pytest.fixture(scope="module")
def found() -> tuple[set[frozenset], set[frozenset]]:
    """The finder's pairs on the planted set, run once for the module, and the truth."""
    rows, truth = planted()
    return {frozenset((left, right)) for left, right, _p in find_duplicate_contacts(rows)}, truth


def test_typo_duplicates_are_found(found):
    pairs, _truth = found
    assert frozenset((0, 1000)) in pairs  # Thai name with a dropped letter
    assert frozenset((1, 1001)) in pairs  # email in capitals
    assert frozenset((2, 1002)) in pairs  # the same phone written differently
    assert {frozenset((i, 1000 + i)) for i in range(30, 33)} <= pairs  # names written otherwise


def test_every_planted_duplicate_and_nothing_else(found):
    pairs, truth = found
    assert len(truth) == 23
    assert pairs == truth


def test_namesakes_are_not_paired():
    """Distinct people called 王伟 or John Smith, at different companies."""
    rows = [{"id": i, "given_name": given, "family_name": family,
             "email": f"{i}@mail.example", "phone_e164": f"+8613800000{i:03d}",
             "company": f"Company {i}", "country": country}
            for i, (given, family, country) in enumerate(
                [("伟", "王", "CN")] * 30 + [("John", "Smith", "US")] * 30)]
    assert find_duplicate_contacts(rows) == []


def _with_amir_again(given: str, family: str) -> list[dict]:
    """Eight people, 1 is امیر علی کریمی; 101 is him again, typed as given, and 105 is 5
    again."""
    rng = random.Random(3)
    rows = [person(rng, i) | {"family_name": family} for i, family in enumerate(
        ["Smith", "Garcia", "Okafor", "Tanaka", "Kowalski", "Haddad", "Silva", "Novak"])]
    rows[1] |= {"given_name": "امیر علی", "family_name": "کریمی", "company": "Pars Trading"}
    rows.append(rows[1] | {"id": 101, "given_name": given, "family_name": family,
                           "email": "amir@home.example", "phone_e164": ""})
    rows.append(rows[5] | {"id": 105, "email": rows[5]["email"].upper()})
    return rows


def test_persian_names_typed_on_an_arabic_keyboard_are_the_same_name():
    """Arabic yeh and kaf for the Persian letters, a space dropped: still one person."""
    pairs = {frozenset((left, right)) for left, right, _p
             in find_duplicate_contacts(_with_amir_again("اميرعلي", "كريمي"))}
    assert pairs == {frozenset((1, 101)), frozenset((5, 105))}


@pytest.mark.parametrize("given", ["اميرعلى", "اميرعلي", "امیر علی"])
def test_arabic_letter_forms_weigh_as_the_name_itself(given):
    """Final yeh written ى (alef maksura) as Arabic keyboards do, or ي: the pair scores as
    if the name were typed in Persian letters, not as a near miss."""
    def score(given_name: str, family_name: str) -> float:
        rows = _with_amir_again(given_name, family_name)
        return {frozenset((left, right)): p for left, right, p
                in find_duplicate_contacts(rows, threshold=0)}[frozenset((1, 101))]

    assert score(given, "كريمى") == score("امیرعلی", "کریمی")


def test_empty_input():
    assert find_duplicate_contacts([]) == []


def test_probabilities_are_above_the_threshold():
    rows, _truth = planted()
    pairs = find_duplicate_contacts(rows, threshold=0.99)
    assert pairs
    assert all(0.99 <= p <= 1 for _l, _r, p in pairs)


def test_candidates_come_only_from_contacts_the_user_sees(org):
    account = make_account(org.owner, "Siam Fresh Foods", country="TH")
    mine = make_contact(org.owner, "ศรีสุข", given_name="สมศรี", email="somsri@mail.example",
                        phone="081 234 5678", country="TH", account=account)
    again = make_contact(org.owner, "ศรีสุข", given_name="สมศร", email="SOMSRI@mail.example",
                         phone="+66 81 234 5678", country="TH", account=account)
    theirs = [make_contact(org.outsider, "ศรีสุข", given_name="สมศรี",
                           email="somsri@mail.example", phone="0812345678", country="TH")
              for _ in range(2)]
    assert again.phone_e164 == mine.phone_e164
    assert [(left, right) for left, right, _p in
            contact_duplicate_candidates(user=org.owner)] == [(mine.pk, again.pk)]
    outsider_ids = {id_ for left, right, _p in contact_duplicate_candidates(user=org.outsider)
                    for id_ in (left, right)}
    assert outsider_ids == {c.pk for c in theirs}
    manager_ids = {id_ for left, right, _p in contact_duplicate_candidates(user=org.manager)
                   for id_ in (left, right)}
    assert manager_ids == {mine.pk, again.pk, *(c.pk for c in theirs)}
