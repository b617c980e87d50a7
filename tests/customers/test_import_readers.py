"""Reading files for the contact import: real files in every format and character set
the importer promises, the hostile ones it must refuse, and the mapping it suggests."""

import codecs
import csv
import datetime as dt
import io
import os
import tracemalloc
import zipfile

import openpyxl
import pytest

from amity.core.exports import headers as export_headers
from amity.customers.imports import (
    ImportFileError,
    Limits,
    Row,
    detect_source,
    read_table,
    suggest_mapping,
)
from amity.customers.models import Contact

THAI = ("สมชาย", "ใจดี", "บริษัท ข้าวหอม จำกัด")
# Windows-1256 has no Persian yeh (ی): legacy Persian files are written with the Arabic ي.
PERSIAN = ("علي", "رضايي", "شرکت پارس")
CHINESE = ("伟", "王", "上海明华科技有限公司")
PAYLOADS = ("=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1",
            "@SUM(A1)", "-2+3")


def table(data: bytes, name: str = "contacts.csv", **options):
    return read_table(io.BytesIO(data), filename=name, **options)


def rows(data: bytes, name: str = "contacts.csv", **options) -> list[Row]:
    return list(table(data, name, **options).rows())


def csv_text(*records: tuple[str, ...], delimiter: str = ",", newline: str = "\r\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(records)
    return out.getvalue()


# Character sets


@pytest.mark.parametrize(("names", "encoding", "detected"), [
    (THAI, "utf-8", "utf-8"),
    (PERSIAN, "utf-8", "utf-8"),
    (CHINESE, "utf-8", "utf-8"),
    (THAI, "utf-8-sig", "utf-8-sig"),
    (CHINESE, "utf-16", "utf-16"),
    (THAI, "cp874", "cp874"),
    (THAI, "tis-620", "cp874"),
    (PERSIAN, "cp1256", "cp1256"),
    (CHINESE, "gb18030", "gb18030"),
    (CHINESE, "gb2312", "gb18030"),
])
def test_names_round_trip_in_each_character_set(names, encoding, detected):
    given, family, company = names
    data = csv_text(("Given name", "Family name", "Account"), (given, family, company),
                    ("Ann", "Lee", "Acme")).encode(encoding)
    read = table(data)
    assert (read.format, read.encoding) == ("csv", detected)
    assert read.headers == ["Given name", "Family name", "Account"]
    assert [(row.number, row.values, row.errors) for row in read.rows()] == [
        (2, {"Given name": given, "Family name": family, "Account": company}, ()),
        (3, {"Given name": "Ann", "Family name": "Lee", "Account": "Acme"}, ()),
    ]


def test_legacy_text_far_down_the_file_decides_the_character_set():
    head = csv_text(("Name", "Email"), *[("Ann Lee", f"ann{i}@example.com")
                                         for i in range(5000)])
    data = (head + csv_text((THAI[0], "somchai@example.com"))).encode("cp874")
    read = table(data)
    assert read.encoding == "cp874"
    assert list(read.rows())[-1].values["Name"] == THAI[0]


def test_utf8_byte_order_mark_is_not_part_of_the_first_header():
    data = codecs.BOM_UTF8 + "Email,ชื่อ\r\na@example.com,สมชาย\r\n".encode()
    assert table(data).headers == ["Email", "ชื่อ"]
    assert table(data, encoding="utf-8").headers == ["Email", "ชื่อ"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_is_utf16_with_tabs(codec):
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated, CRLF.
    bom = codecs.BOM_UTF16_LE if codec == "utf-16-le" else codecs.BOM_UTF16_BE
    text = csv_text(("First Name", "Last Name", "Company"), (*CHINESE,), (*THAI,),
                    delimiter="\t")
    read = table(bom + text.encode(codec), "contacts.txt")
    assert (read.encoding, read.headers) == ("utf-16", ["First Name", "Last Name", "Company"])
    assert [row.values["Company"] for row in read.rows()] == [CHINESE[2], THAI[2]]


def test_chosen_character_set_is_used():
    data = csv_text(("Name",), (THAI[0],)).encode("cp874")
    assert rows(data, encoding="tis-620")[0].values == {"Name": THAI[0]}


def test_wrong_character_set_names_the_rows_and_columns_that_fail():
    data = csv_text(("Name", "Email"), ("Ann", "ann@example.com"), (THAI[0], "s@example.com"),
                    ("Bob", "bob@example.com")).encode("cp874")
    read = rows(data, encoding="utf-8")
    assert [row.ok for row in read] == [True, False, True]
    error, = read[1].errors
    assert (error.row_number, error.column) == (3, "Name")
    assert "Row 3" in error.message and "“Name”" in error.message
    assert "UTF-8" in error.message


def test_header_in_the_wrong_character_set_refuses_the_file():
    data = csv_text(("ชื่อ", "อีเมล"), ("x", "y")).encode("cp874")
    with pytest.raises(ImportFileError, match="column names"):
        table(data, encoding="utf-8")


def test_unknown_character_set_is_refused():
    with pytest.raises(ImportFileError, match="klingon"):
        table(b"Name\nAnn\n", encoding="klingon")


# CSV shapes


def test_semicolon_csv_with_quoted_newlines_and_separators():
    data = (b'Name;Notes;City\r\n"Lee; Ann";"first line\r\nsecond; line";Bangkok\r\n'
            b'Bob;;"Chiang Mai"\r\n')
    read = table(data)
    assert read.headers == ["Name", "Notes", "City"]
    assert [(row.number, row.values) for row in read.rows()] == [
        (2, {"Name": "Lee; Ann", "Notes": "first line\r\nsecond; line", "City": "Bangkok"}),
        (3, {"Name": "Bob", "Notes": "", "City": "Chiang Mai"}),
    ]


def test_ragged_rows_are_row_errors_and_good_rows_still_come_through():
    data = (b"Name,Email,Phone\n"
            b"Ann,ann@example.com,1\n"
            b"Bob,bob@example.com\n"                   # one cell short
            b"Cid,cid@example.com,3,surprise\n"        # one cell too many
            b"\n"                                      # blank line: skipped, still counted
            b"Dee,dee@example.com,5,\n")      # an empty extra cell is padding
    read = rows(data)
    assert [(row.number, row.ok) for row in read] == [(2, True), (3, False), (4, False),
                                                      (6, True)]
    assert read[1].values == {"Name": "Bob", "Email": "bob@example.com", "Phone": ""}
    assert read[1].errors[0].row_number == 3 and "Row 3 has 2 cells" in read[1].errors[0].message
    assert "Row 4 has 4 cells but there are 3 columns" in read[2].errors[0].message


def test_empty_and_duplicate_headers_get_names():
    read = table(b"Email,,email, Phone ,\na,b,c,d,e\n")
    assert read.headers == ["Email", "Column 2", "email (2)", "Phone", "Column 5"]
    assert next(read.rows()).values["email (2)"] == "c"


def test_formula_payloads_come_through_as_plain_text():
    data = csv_text(("Name", "Notes"), *[("Mallory", payload) for payload in PAYLOADS])
    assert [row.values["Notes"] for row in rows(data.encode())] == list(PAYLOADS)


def test_a_ten_megabyte_cell_is_a_row_error_naming_row_and_column():
    huge = "x" * (10 * 1024 * 1024)
    big = "y" * 120_000  # over the 100,000 limit, under the csv module's own
    multiline = '"' + ("z" * 99 + "\n") * 2000 + '"'  # 200,000 characters over many lines
    lines = '"' + ("w" * 99 + "\n") * 1100 + '"'  # 110,000: over the limit, under csv's
    data = ("Name,Notes,City\n"
            f"Ann,short,Bangkok\n"
            f"Bob,{huge},Bangkok\n"
            f"Cid,{big},Bangkok\n"
            f"Dee,{multiline},Bangkok\n"
            f"Fay,{lines},Bangkok\n"
            f"Eve,fine,Bangkok\n").encode()
    read = rows(data)
    assert [row.number for row in read] == [2, 3, 4, 5, 6, 7]
    assert [row.ok for row in read] == [True, False, False, False, False, True]
    for row in read[1:5]:
        error, = row.errors
        assert (error.row_number, error.column) == (row.number, "Notes")
        assert f"Row {row.number}, column “Notes”" in error.message
    assert read[2].values["Notes"] == ""  # the oversized cell is not carried along
    assert read[5].values == {"Name": "Eve", "Notes": "fine", "City": "Bangkok"}


def test_a_stream_that_cannot_seek_is_read():
    read, write = os.pipe()
    os.write(write, "Name\nสมชาย\n".encode())
    os.close(write)
    with os.fdopen(read, "rb", buffering=0) as pipe:
        assert [row.values for row in read_table(pipe, filename="x.csv").rows()] == [
            {"Name": "สมชาย"}]


def test_rows_can_be_read_twice():
    read = table(b"Name\nAnn\nBob\n")
    assert list(read.rows()) == list(read.rows())


# Refused files and limits


def test_binary_files_named_csv_are_refused():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    for data in (png, os.urandom(64 * 1024)):
        with pytest.raises(ImportFileError, match="not a CSV, Excel"):
            table(data, "contacts.csv")


def test_empty_file_is_refused():
    with pytest.raises(ImportFileError, match="empty"):
        table(b"", "contacts.csv")


def test_file_size_limit_is_reported():
    with pytest.raises(ImportFileError, match="largest file that can be imported is 1"):
        table(b"Name\n" + b"Ann\n" * 1000, limits=Limits(max_file_bytes=1024))


def test_column_and_row_limits():
    with pytest.raises(ImportFileError, match="501 columns; at most 500"):
        table(",".join(f"c{i}" for i in range(501)).encode() + b"\n")
    read = table(b"Name\nAnn\nBob\nCid\n", limits=Limits(max_rows=2))
    with pytest.raises(ImportFileError, match="more than 2 rows"):
        list(read.rows())


def test_streaming_holds_bounded_memory(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("Given name", "Family name", "Email", "Phone", "Notes"))
        for i in range(200_000):
            writer.writerow((THAI[0], f"Family {i}", f"p{i}@example.com", "+66 81 234 5678",
                             "a note, with a comma"))
    assert path.stat().st_size > 15 * 1024 * 1024  # far above the bound below
    tracemalloc.start()
    try:
        with path.open("rb") as file:
            count = sum(1 for row in read_table(file, filename="big.csv").rows() if row.ok)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < 10 * 1024 * 1024


# Excel workbooks


def workbook_bytes(*records: tuple) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for record in records:
        sheet.append(record)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_first_sheet_as_text():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Given name", "Family name", "Birthday", "Employees", "Score", "VIP",
                  "Met at", None])
    sheet.append([THAI[0], THAI[1], dt.date(1980, 5, 17), 250, 2.5, True,
                  dt.datetime(2024, 1, 2, 13, 45), None])
    sheet.append([CHINESE[0], CHINESE[1], None, 3.0, None, False])
    sheet["A5"] = PERSIAN[0]  # row 4 left empty: the numbers stay those Excel shows
    for row, payload in enumerate(PAYLOADS, start=6):
        cell = sheet.cell(row=row, column=1, value=payload)
        cell.data_type = "s"  # typed as text, as a user would enter it with a leading '
    workbook.create_sheet("Ignored").append(["Not", "read"])
    out = io.BytesIO()
    workbook.save(out)
    read = table(out.getvalue(), "contacts.xlsx")
    assert (read.format, read.headers) == ("xlsx", ["Given name", "Family name", "Birthday",
                                                    "Employees", "Score", "VIP", "Met at"])
    got = list(read.rows())
    assert [row.number for row in got] == [2, 3, 5, 6, 7, 8, 9, 10]
    assert got[0].values == {"Given name": THAI[0], "Family name": THAI[1],
                             "Birthday": "1980-05-17", "Employees": "250", "Score": "2.5",
                             "VIP": "TRUE", "Met at": "2024-01-02T13:45:00"}
    assert (got[1].values["Employees"], got[1].values["VIP"]) == ("3", "FALSE")
    assert got[2].values["Given name"] == PERSIAN[0] and got[2].ok
    assert [row.values["Given name"] for row in got[3:]] == list(PAYLOADS)


def test_xlsx_cells_too_long_and_values_without_a_header():
    # Excel (and openpyxl) cut cells at 32,767 characters, so a lower limit is tried.
    data = workbook_bytes(("Name", "Notes"), ("Ann", "n" * 5000), ("Bob", "ok", "stray"))
    first, second = rows(data, "contacts.xlsx", limits=Limits(max_cell_chars=1000))
    assert [(e.row_number, e.column) for e in first.errors] == [(2, "Notes")]
    assert "Row 3 has values to the right" in second.errors[0].message


def test_a_zip_bomb_named_xlsx_is_refused_before_openpyxl_reads_it(tmp_path, monkeypatch):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        zeros = bytes(1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(300):  # 300 MB of zeros, about 1 MB on disk
                member.write(zeros)
    assert path.stat().st_size < 2 * 1024 * 1024

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("openpyxl opened the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_be_called)
    with path.open("rb") as file, pytest.raises(ImportFileError, match="unpack to 300"):
        read_table(file, filename="contacts.xlsx")
    # Under the size limit, the compression ratio alone gives it away.
    with path.open("rb") as file, pytest.raises(ImportFileError, match="compressed"):
        read_table(file, filename="contacts.xlsx",
                   limits=Limits(max_unzipped_bytes=1024 * 1024 * 1024))


def test_zips_that_are_not_workbooks_are_refused():
    def zipped(**members: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for name, text in members.items():
                archive.writestr(name, text)
        return out.getvalue()

    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        table(zipped(**{"word/document.xml": "<w/>"}), "contacts.xlsx")
    with pytest.raises(ImportFileError, match="OpenDocument"):
        table(zipped(mimetype="application/vnd.oasis.opendocument.spreadsheet"), "c.ods")
    with pytest.raises(ImportFileError, match="parts"):
        table(zipped(**{f"part{i}.xml": "" for i in range(20)}), "contacts.xlsx",
              limits=Limits(max_zip_members=10))
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        table(b"PK\x03\x04 not really a zip" * 10, "contacts.xlsx")


def test_a_file_named_xlsx_that_is_not_a_zip_is_refused():
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        table(b"Name,Email\nAnn,ann@example.com\n", "contacts.xlsx")
    with pytest.raises(ImportFileError, match="old Excel format"):
        table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "contacts.xls")


# vCards

VCARD_3 = """BEGIN:VCARD
VERSION:3.0
N:ใจดี;สมชาย;;คุณ;
FN:สมชาย ใจดี
EMAIL;TYPE=INTERNET,WORK:somchai@example.com
EMAIL;TYPE=INTERNET,HOME:somchai@home.example
TEL;TYPE=CELL:+66 81 234 5678
TEL;TYPE=WORK,VOICE:+66 2 123 4567
ORG:บริษัท ข้าวหอม จำกัด;Sales
TITLE:ผู้จัดการ
NOTE:First line\\nsecond\\, with a comma
BDAY:19800517
ADR;TYPE=WORK:;;99 Sukhumvit Rd;Bangkok;;10110;Thailand
CATEGORIES:vip,partner
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD
 /2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHR8eHR
UID:crm-1
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Broken;Card
this line is not a property
END:VCARD
"""
VCARD_4 = """BEGIN:VCARD
VERSION:4.0
N:王;伟;;;
FN:王伟
EMAIL;TYPE=work:wei@example.cn
TEL;VALUE=uri;TYPE="cell,voice":tel:+86-138-0000-0000
ORG:上海明华科技有限公司
BDAY:--0517
GENDER:M
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Never closed
BEGIN:VCARD
VERSION:4.0
N:رضايي;علي;;;
FN:علي رضايي
EMAIL:ali@example.ir
END:VCARD
"""


def test_vcard_3_cards_are_rows_and_a_malformed_card_is_a_row_error():
    read = table(VCARD_3.replace("\n", "\r\n").encode(), "contacts.vcf")
    assert read.format == "vcard"
    first, second = read.rows()
    assert first.number == 1 and first.ok
    values = {key: value for key, value in first.values.items() if value}
    assert values == {
        "external_id": "crm-1", "salutation": "คุณ", "given_name": "สมชาย",
        "family_name": "ใจดี", "full_name": "สมชาย ใจดี", "email": "somchai@example.com",
        "email_2": "somchai@home.example", "mobile": "+66 81 234 5678",
        "phone": "+66 2 123 4567", "account": THAI[2], "department": "Sales",
        "job_title": "ผู้จัดการ", "description": "First line\nsecond, with a comma",
        "birth_date": "1980-05-17", "street": "99 Sukhumvit Rd", "city": "Bangkok",
        "postcode": "10110", "country": "Thailand", "tags": "vip, partner",
    }
    assert second.number == 2 and not second.ok
    assert second.errors[0].message.startswith("Card 2 cannot be read")
    assert suggest_mapping(read.headers) == {header: header for header in read.headers}


def test_vcard_4_cards_and_an_unclosed_card():
    read = rows(VCARD_4.encode("utf-8"), "contacts.vcf")
    assert [(row.number, row.ok) for row in read] == [(1, True), (2, False), (3, True)]
    assert {key: value for key, value in read[0].values.items() if value} == {
        "given_name": "伟", "family_name": "王", "full_name": "王伟",
        "email": "wei@example.cn", "mobile": "+86-138-0000-0000", "account": CHINESE[2],
        "birth_date": "--0517", "gender": "M"}
    assert "END:VCARD" in read[1].errors[0].message
    assert read[2].values["given_name"] == "علي"


def test_vcard_file_in_a_legacy_character_set():
    read = table(VCARD_3.split("END:VCARD")[0].encode("utf-8") + b"END:VCARD\r\n", "a.vcf")
    assert read.encoding == "utf-8"
    card = VCARD_4.split("BEGIN:VCARD")[3].replace("VERSION:4.0", "VERSION:3.0")
    read = table(("BEGIN:VCARD" + card).encode("cp1256"), "a.vcf")
    assert read.encoding == "cp1256"
    assert next(read.rows()).values["family_name"] == "رضايي"


# Mapping suggestions

GOOGLE = ["First Name", "Middle Name", "Last Name", "Phonetic First Name", "Name Prefix",
          "Nickname", "Organization Name", "Organization Title", "Organization Department",
          "Birthday", "Notes", "Photo", "Labels", "E-mail 1 - Label", "E-mail 1 - Value",
          "E-mail 2 - Label", "E-mail 2 - Value", "Phone 1 - Label", "Phone 1 - Value",
          "Phone 2 - Label", "Phone 2 - Value", "Address 1 - Label", "Address 1 - Formatted",
          "Address 1 - Street", "Address 1 - City", "Address 1 - Region",
          "Address 1 - Postal Code", "Address 1 - Country", "Website 1 - Value"]
GOOGLE_OLD = ["Name", "Given Name", "Additional Name", "Family Name", "Name Prefix",
              "Birthday", "Gender", "Notes", "Group Membership", "E-mail 1 - Type",
              "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value",
              "Organization 1 - Type", "Organization 1 - Name", "Organization 1 - Title"]
OUTLOOK = ["Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company",
           "Department", "Job Title", "Business Street", "Business City", "Business State",
           "Business Postal Code", "Business Country/Region", "Home Street", "Home City",
           "Business Phone", "Business Phone 2", "Home Phone", "Mobile Phone", "Birthday",
           "Categories", "E-mail Address", "E-mail Display Name", "E-mail 2 Address",
           "E-mail 3 Address", "Gender", "Notes", "Web Page"]
SALESFORCE = ["Id", "Salutation", "FirstName", "LastName", "Account.Name", "AccountId",
              "Title", "Department", "Email", "Phone", "MobilePhone", "HomePhone",
              "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode",
              "MailingCountry", "Birthdate", "LeadSource", "Description", "OwnerId"]
HUBSPOT = ["Record ID", "First Name", "Last Name", "Email", "Phone Number",
           "Mobile Phone Number", "Company Name", "Job Title", "Street Address", "City",
           "State/Region", "Postal Code", "Country/Region", "Website URL",
           "Original Source", "Contact owner", "Lifecycle Stage"]


def mapped(headers: list[str]) -> dict[str, str]:
    return {header: field for header, field in suggest_mapping(headers).items() if field}


def test_google_contacts_mapping():
    assert detect_source(GOOGLE) == detect_source(GOOGLE_OLD) == "google"
    assert mapped(GOOGLE) == {
        "First Name": "given_name", "Middle Name": "middle_name", "Last Name": "family_name",
        "Name Prefix": "salutation", "Organization Name": "account",
        "Organization Title": "job_title", "Organization Department": "department",
        "Birthday": "birth_date", "Notes": "description", "Labels": "tags",
        "E-mail 1 - Value": "email", "E-mail 2 - Value": "email_2",
        "Phone 1 - Value": "phone", "Phone 2 - Value": "phone_2",
        "Address 1 - Street": "street", "Address 1 - City": "city",
        "Address 1 - Region": "region", "Address 1 - Postal Code": "postcode",
        "Address 1 - Country": "country", "Website 1 - Value": "website"}
    assert mapped(GOOGLE_OLD) == {
        "Name": "full_name", "Given Name": "given_name", "Additional Name": "middle_name",
        "Family Name": "family_name", "Name Prefix": "salutation", "Birthday": "birth_date",
        "Gender": "gender", "Notes": "description", "Group Membership": "tags",
        "E-mail 1 - Value": "email", "Phone 1 - Value": "phone",
        "Organization 1 - Name": "account", "Organization 1 - Title": "job_title"}


def test_outlook_mapping_reads_title_as_salutation():
    assert detect_source(OUTLOOK) == "outlook"
    assert mapped(OUTLOOK) == {
        "Title": "salutation", "First Name": "given_name", "Middle Name": "middle_name",
        "Last Name": "family_name", "Company": "account", "Department": "department",
        "Job Title": "job_title", "Business Street": "street", "Business City": "city",
        "Business State": "region", "Business Postal Code": "postcode",
        "Business Country/Region": "country", "Business Phone": "phone",
        "Business Phone 2": "phone_2", "Home Phone": "phone_3", "Mobile Phone": "mobile",
        "Birthday": "birth_date", "Categories": "tags", "E-mail Address": "email",
        "E-mail 2 Address": "email_2", "E-mail 3 Address": "email_3", "Gender": "gender",
        "Notes": "description", "Web Page": "website"}


def test_salesforce_mapping():
    assert detect_source(SALESFORCE) == "salesforce"
    assert mapped(SALESFORCE) == {
        "Id": "external_id", "Salutation": "salutation", "FirstName": "given_name",
        "LastName": "family_name", "Account.Name": "account", "Title": "job_title",
        "Department": "department", "Email": "email", "Phone": "phone",
        "MobilePhone": "mobile", "HomePhone": "phone_2", "MailingStreet": "street",
        "MailingCity": "city", "MailingState": "region", "MailingPostalCode": "postcode",
        "MailingCountry": "country", "Birthdate": "birth_date", "LeadSource": "source",
        "Description": "description"}
    assert mapped(["Account Name"]) == {"Account Name": "account"}


def test_hubspot_mapping():
    assert detect_source(HUBSPOT) == "hubspot"
    assert mapped(HUBSPOT) == {
        "Record ID": "external_id", "First Name": "given_name", "Last Name": "family_name",
        "Email": "email", "Phone Number": "phone", "Mobile Phone Number": "mobile",
        "Company Name": "account", "Job Title": "job_title", "Street Address": "street",
        "City": "city", "State/Region": "region", "Postal Code": "postcode",
        "Country/Region": "country", "Website URL": "website",
        "Original Source": "source"}


def test_amity_export_headers_map_back():
    exported = export_headers(Contact, Contact.export_fields)
    assert detect_source(exported) == "amity"
    mapping = suggest_mapping(exported)
    assert mapping.items() >= {
        "Id": "external_id", "Given name": "given_name", "Family name": "family_name",
        "Email": "email", "Phone": "phone", "Job title": "job_title",
        "Department": "department", "Account": "account", "Description": "description",
        "Owner": None, "Team": None}.items()
    fields = [field for field in mapping.values() if field]
    assert len(fields) == len(set(fields))


def test_thai_chinese_and_persian_headers():
    assert mapped(["ชื่อ", "นามสกุล", "อีเมล", "โทรศัพท์", "มือถือ", "บริษัท"]) == {
        "ชื่อ": "given_name", "นามสกุล": "family_name", "อีเมล": "email",
        "โทรศัพท์": "phone", "มือถือ": "mobile", "บริษัท": "account"}
    assert mapped(["姓", "名", "邮箱", "电子邮件", "电话", "手机", "公司", "姓名"]) == {
        "姓": "family_name", "名": "given_name", "邮箱": "email", "电子邮件": "email_2",
        "电话": "phone", "手机": "mobile", "公司": "account", "姓名": "full_name"}
    # Persian written with the Arabic yeh and kaf of Windows-1256, and a zero-width joiner.
    assert mapped(["نام", "نام\u200cخانوادگي", "ايميل", "تلفن", "شركت"]) == {
        "نام": "given_name", "نام\u200cخانوادگي": "family_name", "ايميل": "email",
        "تلفن": "phone", "شركت": "account"}


def test_matching_ignores_case_spaces_and_punctuation():
    assert mapped(["  E_MAIL ", "first-name", "POSTAL code", "Unknown column"]) == {
        "  E_MAIL ": "email", "first-name": "given_name", "POSTAL code": "postcode"}
    assert detect_source(["Name", "Email"]) is None
