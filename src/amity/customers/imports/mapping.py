"""Suggested mapping from a file's column headers to the fields of Amity's contact,
knowing the exports of Google Contacts, Outlook, Salesforce, HubSpot and Amity itself."""

import re
import unicodedata

from amity.core.letter_forms import LETTER_FORMS

TARGET_FIELDS = (
    "external_id", "salutation", "given_name", "middle_name", "family_name", "full_name",
    "email", "email_2", "email_3", "phone", "phone_2", "phone_3", "mobile",
    "job_title", "department", "account", "birth_date", "gender", "language", "website",
    "street", "city", "region", "postcode", "country", "description", "tags", "income_band",
    "source",
)
# Headers that fill the first free field of a group, in the order the columns come.
_GROUPS = {"email": ("email", "email_2", "email_3"), "phone": ("phone", "phone_2", "phone_3")}


def _numbered(template: str) -> tuple[str, ...]:
    return tuple(template.format(n=n) for n in range(1, 6))


# Header spellings per field (or group), compared after normalise(); each field's own
# name and Amity's export headers ("Given name", "Job title", "Id") are included.
_ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "external id", "record id", "contact id", "uid", "外部编号"),
    "salutation": ("salutation", "prefix", "name prefix", "คำนำหน้า", "คำนำหน้าชื่อ", "称谓",
                   "پیشوند"),
    "given_name": ("given name", "first name", "forename", "ชื่อ", "ชื่อจริง", "名", "名字",
                   "نام"),
    "middle_name": ("middle name", "additional name", "ชื่อกลาง", "中间名", "نام میانی"),
    "family_name": ("family name", "last name", "surname", "นามสกุล", "姓", "姓氏",
                    "نام خانوادگی"),
    "full_name": ("full name", "name", "display name", "contact name", "ชื่อนามสกุล",
                  "ชื่อเต็ม", "姓名", "全名", "نام کامل"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail", "work email",
              "personal email", "other email addresses", *_numbered("email {n}"),
              *_numbered("e-mail {n} address"),
              *_numbered("e-mail {n} - value"), "อีเมล", "อีเมล์", "邮箱", "电子邮件",
              "电子邮箱", "郵箱", "電子郵件", "ایمیل", "پست الکترونیک", "رایانامه"),
    "phone": ("phone", "telephone", "tel", "phone number", "work phone", "business phone",
              "home phone", "other phone", "business phone 2", "home phone 2",
              "other phone numbers", "company main phone", "assistant's phone",
              *_numbered("phone {n}"), *_numbered("phone {n} - value"), "โทรศัพท์",
              "เบอร์โทร", "เบอร์โทรศัพท์", "电话", "電話", "联系电话", "تلفن", "شماره تلفن"),
    "mobile": ("mobile", "mobile phone", "mobile number", "mobile phone number", "cell",
               "cell phone", "mobilephone", "มือถือ", "โทรศัพท์มือถือ", "เบอร์มือถือ", "手机",
               "手機", "手机号", "移动电话", "موبایل", "تلفن همراه", "شماره موبایل"),
    "job_title": ("job title", "title", "position", "organization title",
                  *_numbered("organization {n} - title"), "ตำแหน่ง", "职位", "职务", "職位",
                  "سمت", "عنوان شغلی"),
    "department": ("department", "organization department",
                   *_numbered("organization {n} - department"), "แผนก", "ฝ่าย", "部门",
                   "部門", "دپارتمان", "واحد"),
    "account": ("account", "account name", "account.name", "company", "company name",
                "organization", "organisation", "organization name", "employer",
                *_numbered("organization {n} - name"), "บริษัท", "ชื่อบริษัท", "องค์กร",
                "公司", "公司名称", "单位", "شرکت", "نام شرکت", "سازمان"),
    "birth_date": ("birth date", "birthday", "birthdate", "date of birth", "dob", "วันเกิด",
                   "生日", "出生日期", "تاریخ تولد"),
    "gender": ("gender", "sex", "เพศ", "性别", "性別", "جنسیت"),
    "language": ("language", "preferred language", "ภาษา", "语言", "زبان"),
    "website": ("website", "web site", "web page", "website url", "url", "homepage",
                *_numbered("website {n} - value"), "เว็บไซต์", "网站", "網站", "وبسایت",
                "وب سایت"),
    "street": ("street", "street address", "address", "address line 1", "mailing street",
               "business street", "home street", *_numbered("address {n} - street"),
               "ที่อยู่", "地址", "街道", "آدرس", "نشانی"),
    "city": ("city", "town", "mailing city", "business city", "home city",
             *_numbered("address {n} - city"), "เมือง", "อำเภอ", "城市", "شهر"),
    "region": ("region", "state", "province", "county", "state/province", "state/region",
               "mailing state", "business state", "home state",
               *_numbered("address {n} - region"), "จังหวัด", "省", "省份", "استان"),
    "postcode": ("postcode", "post code", "postal code", "zip", "zip code",
                 "mailing postal code", "business postal code", "home postal code",
                 *_numbered("address {n} - postal code"), "รหัสไปรษณีย์", "邮编", "邮政编码",
                 "کد پستی"),
    "country": ("country", "country/region", "mailing country", "business country/region",
                "home country/region", *_numbered("address {n} - country"), "ประเทศ",
                "国家", "國家", "کشور"),
    # Free text about the contact: the contact's description (as in Salesforce).
    "description": ("notes", "note", "comments", "comment", "description", "หมายเหตุ",
                    "备注", "備註", "یادداشت", "توضیحات"),
    "tags": ("tags", "labels", "categories", "groups", "group membership", "แท็ก", "ป้ายกำกับ",
             "标签", "標籤", "برچسب"),
    "income_band": ("income band", "income", "income bracket", "household income",
                    "ช่วงรายได้", "รายได้", "收入", "收入水平", "سطح درآمد", "درآمد"),
    "source": ("source", "lead source", "original source", "ที่มา", "来源", "منبع"),
}
# Where an export means something else by a common header.
_SOURCE_ALIASES = {"outlook": {"title": "salutation"}}
# Headers that only one exporter writes; two of them name it.
_SOURCE_MARKERS = {
    "google": ("e-mail 1 - value", "phone 1 - value", "organization name",
               "organization title", "organization 1 - name", "labels", "group membership",
               "address 1 - formatted", "e-mail 1 - type", "e-mail 1 - label"),
    "outlook": ("e-mail address", "e-mail 2 address", "e-mail display name", "business phone",
                "business street", "business city", "business postal code",
                "business country/region", "categories", "web page"),
    "salesforce": ("mailing street", "mailing city", "mailing state", "mailing postal code",
                   "mailing country", "lead source", "account.name", "account id", "owner id",
                   "birthdate"),
    "hubspot": ("record id", "phone number", "mobile phone number", "company name",
                "country/region", "state/region", "original source", "contact owner",
                "lifecycle stage", "street address"),
    "amity": ("owner", "team", "created", "updated", "created at", "updated at", "given name",
              "family name"),
}
_CAMEL = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")  # Salesforce's API names: MailingCity


def normalise(header: str) -> str:
    """A header as compared: case, spaces, punctuation and Arabic/Persian letter forms
    ignored; letters, digits and combining marks (Thai vowels) kept."""
    text = unicodedata.normalize("NFKC", header).casefold().translate(LETTER_FORMS)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for target, aliases in _ALIASES.items():
        for alias in (target, *aliases):
            key = normalise(alias)
            if table.setdefault(key, target) != target:
                raise ValueError(f"header {alias!r} is an alias of two fields")
    return table


_LOOKUP = _lookup()
_MARKERS = {source: {normalise(m) for m in markers} for source, markers in
            _SOURCE_MARKERS.items()}


def detect_source(headers: list[str]) -> str | None:
    """The program that exported these headers: google, outlook, salesforce, hubspot,
    amity, or None."""
    keys = {normalise(header) for header in headers}
    scores = {source: len(keys & markers) for source, markers in _MARKERS.items()}
    scores["salesforce"] += min(2, sum(1 for h in headers if _CAMEL.fullmatch(h.strip())))
    source, score = max(scores.items(), key=lambda item: item[1])
    return source if score >= 2 else None


def suggest_mapping(headers: list[str]) -> dict[str, str | None]:
    """Each header's suggested contact field (see TARGET_FIELDS), or None; no field is
    suggested twice, the first column wins."""
    overrides = _SOURCE_ALIASES.get(detect_source(headers) or "", {})
    taken: set[str] = set()
    mapping: dict[str, str | None] = {}
    for header in headers:
        key = normalise(header)
        target = overrides.get(key) or _LOOKUP.get(key)
        field = next((f for f in _GROUPS.get(target or "", (target,)) if f not in taken), None)
        mapping[header] = field
        if field:
            taken.add(field)
    return mapping


def suggest_custom(mapping: dict[str, str | None],
                   targets: dict[str, str]) -> dict[str, str | None]:
    """`mapping` with each header still unmapped that equals a custom field's label or key
    (`targets`: "custom.<key>" -> label) mapped to it; the first column wins."""
    lookup: dict[str, str] = {}
    for target, label in targets.items():
        for name in (label, target, target.removeprefix("custom.")):
            lookup.setdefault(normalise(name), target)
    taken = {t for t in mapping.values() if t}
    suggested = dict(mapping)
    for header, target in mapping.items():
        found = lookup.get(normalise(header)) if target is None else None
        if found and found not in taken:
            suggested[header] = found
            taken.add(found)
    return suggested
