"""The SMTP server the mail tests use receives what Django sends over a real connection."""

from django.core.mail import send_mail


def test_mail_sent_over_smtp_arrives_with_its_unicode_subject(smtp_server):
    send_mail("สวัสดี 你好", "body", "crm@example.com", ["kasem@example.co.th"])
    [received] = smtp_server.received
    assert received.rcpt_tos == ["kasem@example.co.th"]
    assert received.message["Subject"] == "สวัสดี 你好"
