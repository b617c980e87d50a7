"""HTTP requests to addresses users typed (webhooks, SMS providers), safe from SSRF.

A target URL is checked when it is saved (`target_url_clean`) and again when it is
used: the host is resolved here, every address it resolves to must be public (unless an
administrator allowed private targets), and the connection goes to the address that was
checked, with the real Host header and TLS SNI, so a DNS answer that changes between the
check and the connect (rebinding) cannot steer the request. Redirects are never
followed, the whole request has a deadline, and at most a few KiB of the answer are read.
urllib3 does the HTTP; this module only pins the address."""

import contextlib
import ipaddress
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import idna
import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from urllib3.util.ssl_match_hostname import CertificateError

MAX_URL_LENGTH = 2000
USER_AGENT = "Amity-Webhooks/1"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges `is_global` lets through but that are no place to send a request.
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(Exception):
    """The target is in a range requests may not go to, or cannot be resolved safely."""


def refusal_reason(ip: IPAddress) -> str | None:
    """Why a request may not go to `ip` (a short English word for the log), or None."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None:
        return refusal_reason(embedded)
    checks = (
        ("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
        ("shared (CGNAT)", ip in CGNAT), ("reserved", ip.is_reserved),
        ("private", ip.is_private), ("not global", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, Teredo), if any."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    return ip.teredo[1] if ip.teredo else None


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # ASCII (IDNA) host name, or an IP address without brackets
    port: int
    path: str  # path and query, at least "/"

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host_header}{self.path}"


_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)


def _bad(message: str, field: str) -> ValidationError:
    return ValidationError({field: [message]})


def parse_target(url: str, *, field: str = "url") -> Target:
    """Split and normalise a target URL; ValidationError names `field` and the problem."""
    url = (url or "").strip()
    if not url:
        raise _bad(_("Enter the URL to send to."), field)
    if len(url) > MAX_URL_LENGTH:
        raise _bad(_("The URL is too long: at most %(n)s characters.") % {"n": MAX_URL_LENGTH},
                   field)
    if any(ch.isspace() or ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in url):
        raise _bad(_("A URL cannot contain spaces or control characters."), field)
    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 - checks the brackets of an IPv6 address
    except ValueError as exc:
        raise _bad(_("This is not a valid URL; check the brackets around an IPv6 "
                     "address."), field) from exc
    try:
        port = parts.port
    except ValueError as exc:
        raise _bad(_("The port must be a number from 1 to 65535."), field) from exc
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise _bad(_("Use an address that starts with https:// (or http://)."), field)
    if "@" in parts.netloc:
        raise _bad(_("Do not put a user name or password in the URL; the request is "
                     "signed instead."), field)
    if not parts.hostname:
        raise _bad(_("The URL has no host name."), field)
    if port == 0:
        raise _bad(_("The port must be a number from 1 to 65535."), field)
    host = _clean_host(parts.hostname, field)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def _clean_host(host: str, field: str) -> str:
    host = host.rstrip(".")
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    # Browsers and resolvers read "2130706433", "0x7f.1" or "0177.0.0.1" as IP addresses
    # (127.0.0.1): only the plain dotted form is accepted, so what is shown is what is used.
    if _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]):
        raise _bad(_("Write an IP address as four decimal numbers separated by dots, "
                     "e.g. 203.0.113.5."), field)
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise _bad(_("The host name is not a valid domain name (letters of a language are "
                     "fine; symbols and emoji are not)."), field) from exc
    if len(ascii_host) > 253:
        raise _bad(_("The host name is too long."), field)
    return ascii_host


def target_url_clean(url: str, *, allow_private: bool, field: str = "url") -> str:
    """The normalised URL (IDNA host), checked as far as can be without resolving it."""
    target = parse_target(url, field=field)
    try:
        ip = ipaddress.ip_address(target.host)
    except ValueError:
        if target.host == "localhost" or target.host.endswith(".localhost"):
            ip = ipaddress.ip_address("127.0.0.1")
        else:
            return target.url
    reason = refusal_reason(ip)
    if reason and not allow_private:
        raise _bad(_("This address is in a private or reserved network range (%(range)s); "
                     "only an administrator can allow private targets.") % {"range": reason},
                   field)
    return target.url


def resolve_checked(target: Target, *, allow_private: bool) -> IPAddress:
    """The address to connect to: every address the host resolves to must be allowed."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ConnectionError(f"cannot resolve {target.host}: {exc}") from exc
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]
    for ip in addresses:
        reason = refusal_reason(ip)
        if reason and not allow_private:
            where = target.host if target.host == str(ip) else f"{target.host} resolves to {ip}"
            raise TargetRefused(f"refused: {where}, a {reason} address")
    if not addresses:
        raise ConnectionError(f"cannot resolve {target.host}")
    return addresses[0]


@dataclass
class HttpOutcome:
    """What one request got: a status (None if no answer) or an error, and how long."""

    status: int | None = None
    body: str = ""  # the first bytes of the answer, decoded leniently
    location: str = ""
    error: str = ""
    duration_ms: int = 0
    refused: bool = False  # refused by the guard: trying again cannot help

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.error


def limits() -> tuple[float, float, int]:
    """(connect timeout, whole-request deadline, answer bytes read), from settings."""
    return (settings.AMITY_OUTBOUND_CONNECT_TIMEOUT, settings.AMITY_OUTBOUND_TIMEOUT,
            settings.AMITY_OUTBOUND_MAX_RESPONSE_BYTES)


def post(url: str, body: bytes, headers: dict[str, str], *, allow_private: bool) -> HttpOutcome:
    """POST `body` to `url` through the guard; never raises for network trouble."""
    started = time.monotonic()
    outcome = HttpOutcome()
    try:
        target = parse_target(url)
        ip = resolve_checked(target, allow_private=allow_private)
        _exchange(outcome, target, ip, body, headers)
    except ValidationError as exc:
        outcome.error, outcome.refused = "refused: " + "; ".join(exc.messages), True
    except TargetRefused as exc:
        outcome.error, outcome.refused = str(exc), True
    except (OSError, urllib3.exceptions.HTTPError, CertificateError) as exc:
        deadline = settings.AMITY_OUTBOUND_TIMEOUT
        timed_out = isinstance(exc, TimeoutError | socket.timeout) or \
            time.monotonic() - started >= deadline
        outcome.error = f"timed out after {deadline:g} s" if timed_out \
            else f"{type(exc).__name__}: {exc}"
    outcome.duration_ms = round((time.monotonic() - started) * 1000)
    return outcome


def _exchange(outcome: HttpOutcome, target: Target, ip: IPAddress, body: bytes,
              headers: dict[str, str]) -> None:
    connect_timeout, deadline, cap = limits()
    if target.scheme == "https":
        # The certificate is checked against the host name, not the pinned address.
        conn = urllib3.connection.HTTPSConnection(
            str(ip), target.port, timeout=connect_timeout, server_hostname=target.host,
            assert_hostname=target.host, ssl_context=_tls_context())
    else:
        conn = urllib3.connection.HTTPConnection(str(ip), target.port, timeout=connect_timeout)
    started = time.monotonic()
    conn.connect()
    sock = conn.sock  # kept: http.client lets go of it once the answer starts
    remaining = max(deadline - (time.monotonic() - started), 0.01)
    sock.settimeout(remaining)
    # The socket timeout bounds each read; the watchdog bounds the whole exchange, so a
    # server trickling a byte at a time cannot hold the worker.
    watchdog = threading.Timer(remaining, _cut, args=(sock,))
    watchdog.start()
    try:
        conn.request("POST", target.path, body=body, headers={
            "Host": target.host_header, "User-Agent": USER_AGENT, "Connection": "close",
            "Content-Type": "application/json", **headers,
        }, preload_content=False, decode_content=False)
        response = conn.getresponse()
        outcome.status = response.status
        outcome.location = response.headers.get("Location", "")[:MAX_URL_LENGTH]
        outcome.body = response.read(cap, decode_content=False).decode("utf-8", "replace")
        if time.monotonic() - started >= deadline:
            raise TimeoutError
        if 300 <= response.status < 400:
            outcome.error = f"redirect to {outcome.location or '(no Location)'} not followed"
    finally:
        watchdog.cancel()
        conn.close()


def _tls_context() -> ssl.SSLContext:
    """The system's trusted CAs, or the operator's bundle (an internal CA)."""
    return ssl.create_default_context(cafile=settings.AMITY_OUTBOUND_CA_FILE or None)


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
