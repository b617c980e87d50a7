"""Messages for the mail-in tests, built as real senders build them."""

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from amity.integrations.mailboxes import mailbox_save
from amity.integrations.models import Mailbox
from amity.integrations.models.mail_in import Security


def mail(*, subject: str = "Order question", sender: str = "Somchai <somchai@example.com>",
         to: str = "sales@amity.test", cc: str | None = None, body: str = "Hello",
         html: str | None = None, message_id: str | None = None, in_reply_to: str = "",
         references: str = "", attachments: tuple = ()) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    if cc:
        msg["Cc"] = cc
    msg["Date"] = format_datetime(dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC))
    msg["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def mailbox_for(server, name: str = "Sales inbox", **extra) -> Mailbox:
    return mailbox_save(mailbox=Mailbox(), password=extra.pop("password", server.password),
                        data={"name": name, "host": server.host, "port": server.port,
                              "security": Security.NONE, "username": server.user,
                              "folder": "INBOX", **extra})
