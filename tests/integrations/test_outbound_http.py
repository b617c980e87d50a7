"""The SSRF-safe client: what it refuses, and how it treats a real local server."""

import ipaddress
import ssl

import pytest
import trustme
from django.core.exceptions import ValidationError

from amity.integrations import outbound_http
from amity.integrations.outbound_http import post, refusal_reason, target_url_clean
from tests.integrations.http_server import Answer, LocalServer


def refused(url: str) -> str:
    outcome = post(url, b"{}", {}, allow_private=False)
    assert outcome.refused and outcome.status is None
    return outcome.error


@pytest.mark.parametrize(("url", "why"), [
    ("http://127.0.0.1:9/", "loopback"),
    ("http://10.0.0.1/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::1]:9/", "loopback"),
    ("http://[::ffff:127.0.0.1]:9/", "loopback"),
    ("http://[::ffff:169.254.169.254]/", "link-local"),
    ("http://[fd00::1]/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://100.64.0.1/", "CGNAT"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),  # NAT64 of 169.254.169.254
])
def test_addresses_in_private_and_reserved_ranges_are_refused(url, why):
    assert why in refused(url)
    with pytest.raises(ValidationError) as exc:
        target_url_clean(url, allow_private=False)
    assert why in exc.value.message_dict["url"][0]


def test_a_host_name_resolving_to_loopback_is_refused_when_sending(db):
    assert "localhost resolves to 127.0.0.1, a loopback address" in refused("http://localhost:9/")


def test_numeric_forms_of_loopback_are_refused():
    for url in ("http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
                "http://127.1/"):
        with pytest.raises(ValidationError) as exc:
            target_url_clean(url, allow_private=True)
        assert "four decimal numbers" in exc.value.message_dict["url"][0]
        assert refused(url).startswith("refused: Write an IP address")


def test_public_addresses_pass_the_guard():
    for address in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "1.1.1.1"):
        assert refusal_reason(ipaddress.ip_address(address)) is None
    assert target_url_clean("https://hooks.example.com/amity?x=1", allow_private=False) \
        == "https://hooks.example.com/amity?x=1"


@pytest.mark.parametrize(("url", "message"), [
    ("javascript:alert(1)", "https://"),
    ("file:///etc/passwd", "https://"),
    ("ftp://example.com/", "https://"),
    ("https://user:pass@example.com/hook", "user name or password"),
    ("https://example.com/a hook", "spaces"),
    ("https://exa\nmple.com/", "control characters"),
    ("https://😀.example/", "not a valid domain name"),
    ("https://example.com:99999/", "port"),
    ("https://example.com:0/", "port"),
    ("https:///nohost", "no host"),
    ("http://[::1/", "brackets around an IPv6"),
    ("https://example.com:abc/", "port"),
    ("https://exa%6dple.com/", "not a valid domain name"),
    ("http://example.com\\@evil.com/", "user name or password"),
    ("", "Enter the URL"),
    ("https://example.com/" + "a" * 2100, "too long"),
])
def test_bad_urls_are_refused_at_save_with_the_field_named(url, message):
    with pytest.raises(ValidationError) as exc:
        target_url_clean(url, allow_private=False)
    assert message in exc.value.message_dict["url"][0]


def test_thai_host_names_are_converted_to_punycode():
    url = target_url_clean("https://ตัวอย่าง.ไทย/รับ", allow_private=False)
    assert url.startswith("https://xn--72c1a1bt4awk9o.xn--o3cw4h/")
    assert " " not in url and url.isascii()


def test_a_private_target_is_reached_only_when_allowed(local_server):
    assert "loopback" in refused(local_server.url())
    outcome = post(local_server.url(), b'{"a": 1}', {"X-Test": "1"}, allow_private=True)
    assert outcome.ok and outcome.status == 200 and outcome.body == "ok"
    got = local_server.received[0]
    assert got.body == b'{"a": 1}'
    assert got.headers["Host"] == f"127.0.0.1:{local_server.port}"
    assert got.headers["Content-Type"] == "application/json"


def test_redirects_are_not_followed_and_the_location_is_logged(local_server):
    local_server.answers.append(
        Answer(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}))
    outcome = post(local_server.url(), b"{}", {}, allow_private=True)
    assert not outcome.ok and outcome.status == 302
    assert "redirect to http://169.254.169.254/latest/meta-data/ not followed" in outcome.error
    assert len(local_server.received) == 1


def test_only_the_first_bytes_of_a_huge_answer_are_read(local_server, settings):
    settings.AMITY_OUTBOUND_MAX_RESPONSE_BYTES = 1000
    local_server.answers.append(Answer(200, b"x" * 5_000_000))
    outcome = post(local_server.url(), b"{}", {}, allow_private=True)
    assert outcome.ok and outcome.body == "x" * 1000


def test_a_server_that_sleeps_times_out(local_server, settings):
    settings.AMITY_OUTBOUND_TIMEOUT = 0.5
    local_server.answers.append(Answer(200, b"late", delay=5))
    outcome = post(local_server.url(), b"{}", {}, allow_private=True)
    assert not outcome.ok and not outcome.refused
    assert outcome.error == "timed out after 0.5 s"


def test_a_server_that_trickles_its_answer_is_cut_off_at_the_deadline(local_server, settings):
    settings.AMITY_OUTBOUND_TIMEOUT = 0.5
    local_server.answers.append(Answer(200, b"slow" * 100, trickle=0.1))
    outcome = post(local_server.url(), b"{}", {}, allow_private=True)
    assert not outcome.ok
    assert outcome.error == "timed out after 0.5 s"


def test_a_closed_port_is_a_connection_error_not_a_crash(local_server):
    url = local_server.url()
    local_server.stop()
    outcome = post(url, b"{}", {}, allow_private=True)
    assert not outcome.ok and not outcome.refused and outcome.status is None
    assert "Connection refused" in outcome.error or "Failed to establish" in outcome.error


def test_limits_come_from_settings(settings):
    settings.AMITY_OUTBOUND_CONNECT_TIMEOUT = 2
    assert outbound_http.limits()[0] == 2


@pytest.fixture
def tls_server(settings, tmp_path):
    """An https server on 127.0.0.1 whose certificate names "localhost", from a test CA
    that the client is told to trust."""
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost").configure_cert(server_context)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    settings.AMITY_OUTBOUND_CA_FILE = str(tmp_path / "ca.pem")
    server = LocalServer(tls=server_context).start()
    yield server
    server.stop()


def test_https_goes_to_the_checked_address_with_the_host_name_for_tls(tls_server):
    # "localhost" is resolved and checked here; the connection goes to that address and
    # the certificate is verified for the name, so SNI and Host carry "localhost".
    outcome = post(tls_server.url(host="localhost"), b"{}", {}, allow_private=True)
    assert outcome.ok, outcome.error
    assert tls_server.received[0].headers["Host"] == f"localhost:{tls_server.port}"


def test_a_certificate_for_another_name_is_refused(tls_server):
    outcome = post(tls_server.url(host="127.0.0.1"), b"{}", {}, allow_private=True)
    assert not outcome.ok and "certificate" in outcome.error.lower()
    assert tls_server.received == []
