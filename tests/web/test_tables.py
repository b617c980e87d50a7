"""List tables render their cells once per column setup, not per cell; what they show is
what django-tables2's own rows show."""

from amity.customers.models import Account, Contact
from amity.customers.tables import AccountTable, ContactTable
from tests.conftest import make_account, make_contact


def test_cells_are_those_django_tables2_renders(org):
    siam = make_account(org.owner, "Siam <Fresh> & Foods", type="customer", country="TH")
    make_account(org.owner, "ไม่มีประเภท")
    make_contact(org.owner, "ใจดี", given_name="สมชาย", account=siam, email="s@example.co.th",
                 job_title="<script>alert(1)</script>")
    make_contact(org.owner, "王", given_name="伟", phone="+86 138 0013 8000")
    for table_class, model in ((ContactTable, Contact), (AccountTable, Account)):
        records = list(model.objects.select_related("owner").order_by("id"))
        table = table_class(records, reader=org.owner)
        expected = [[str(cell) for cell in row] for row in table.paginated_rows]
        assert [[str(cell) for cell in row] for row in table.cell_rows()] == expected
        assert len(expected) == len(records) and "—" in str(expected)


def test_the_list_page_escapes_cells_and_links_names(org):
    from tests.conftest import signed_in

    make_contact(org.owner, "Jaidee", job_title="<script>alert(1)</script>")
    html = signed_in(org.owner).get("/contacts/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    contact = Contact.objects.get()
    assert f'<a href="/contacts/{contact.pk}/">Jaidee</a>' in html
