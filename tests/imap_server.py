"""A private Dovecot IMAP server for the mail-in tests.

Each server has its own configuration, passwd-file and Maildir in a temporary
directory, listens on 127.0.0.1 on a free port, runs as the current user and
touches no system configuration. `stop()` and `start()` simulate an outage (the
port stays the same); `append()` delivers a message with IMAP APPEND."""

import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

USER, PASSWORD = "crm@example.test", "s3cret \"pa\\ss\" 1"
# Dovecot's login processes refuse to run as root, so under root the whole private
# server runs as this unprivileged account instead (it owns the temporary directory).
ROOT_STAND_IN = "nobody"
STARTUP_SECONDS = 20


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot",) if os.access(p, os.X_OK)), None)


def require_dovecot() -> str:
    """The dovecot binary; the test skips (or fails, when AMITY_REQUIRE_IMAP is set)
    without it."""
    binary = dovecot_binary()
    if binary is None:
        message = ("Dovecot is not installed (run scripts/ensure-dovecot as root, or "
                   "apt-get install dovecot-imapd); the IMAP tests need a real server.")
        if os.environ.get("AMITY_REQUIRE_IMAP"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = """\
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{dir}/mail/%u
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = {uid}
first_valid_gid = {gid}
mail_privileged_group =
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
service auth {{
  user = {user}
}}
service auth-worker {{
  user = {user}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {dir}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={dir}/home/%u
}}
"""


def write_certificate(cert_path: Path, key_path: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))


class ImapServer:
    host = "127.0.0.1"
    user = USER
    password = PASSWORD

    def __init__(self, binary: str, *, tls: bool = False):
        self.binary = binary
        self.dir = Path(tempfile.mkdtemp(prefix="amity-dovecot-"))
        self.port = free_port()
        # With tls: STARTTLS on `port` and implicit TLS on `tls_port`, with a
        # self-signed certificate for 127.0.0.1 kept in `ca_file`.
        self.tls_port = free_port() if tls else 0
        self.ca_file = self.dir / "cert.pem" if tls else None
        ssl = "ssl = no"
        if tls:
            write_certificate(self.dir / "cert.pem", self.dir / "key.pem")
            ssl = (f"ssl = yes\nssl_cert = <{self.dir}/cert.pem\n"
                   f"ssl_key = <{self.dir}/key.pem")
        self.process: subprocess.Popen | None = None
        me = pwd.getpwuid(os.getuid())
        self.run_as = None
        if me.pw_uid == 0:
            me = self.run_as = pwd.getpwnam(ROOT_STAND_IN)
        (self.dir / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        (self.dir / "dovecot.conf").write_text(CONFIG.format(
            dir=self.dir, port=self.port, tls_port=self.tls_port, ssl=ssl, user=me.pw_name,
            uid=me.pw_uid, gid=me.pw_gid, group=grp.getgrgid(me.pw_gid).gr_name))
        if self.run_as is not None:
            for path in (self.dir, *self.dir.rglob("*")):
                os.chown(path, me.pw_uid, me.pw_gid)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.dir / "dovecot.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            user=self.run_as.pw_uid if self.run_as else None,
            group=self.run_as.pw_gid if self.run_as else None,
            extra_groups=[] if self.run_as else None)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("Dovecot exited: " + self.process.stderr.read().decode()
                                   + self.log())
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as s:
                    if s.recv(64).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("Dovecot did not answer in time\n" + self.log())

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=STARTUP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        # Dovecot's children close the listening socket just after the master exits.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=1).close()
                time.sleep(0.05)
            except OSError:
                return

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def connect(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port)
        client.login(USER, PASSWORD)
        return client

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Deliver the raw messages to the folder, in order."""
        client = self.connect()
        try:
            client.create(folder)  # fails harmlessly when it exists
            for raw in messages:
                typ, data = client.append(folder, None, None, raw)
                assert typ == "OK", data
        finally:
            client.logout()

    def uid_validity(self, folder: str = "INBOX") -> int:
        client = self.connect()
        try:
            client.select(folder, readonly=True)
            return int(client.response("UIDVALIDITY")[1][0])
        finally:
            client.logout()

    def recreate_folder(self, folder: str = "INBOX") -> None:
        """Empty the folder and give it a new UIDVALIDITY (as a restored server would)."""
        self.stop()
        shutil.rmtree(self.dir / "home", ignore_errors=True)
        shutil.rmtree(self.dir / "mail", ignore_errors=True)
        self.start()
