#!/usr/bin/python3
"""A real mail server for the collector's mail test, built on Debian's python3-aiosmtpd.

STARTTLS is required before anything else, then AUTH (LOGIN or PLAIN) with the one account
given; every message taken is written whole to FOLDER/N.eml (renamed into place, so a reader
never sees half a file). Runs until SIGTERM.
"""
import argparse
import pathlib
import signal
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class SaveToFolder:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        partial = self.folder / f".{self.count}.part"
        partial.write_bytes(envelope.original_content)
        partial.rename(self.folder / f"{self.count}.eml")
        return "250 Message accepted"


def one_account(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        good = (isinstance(auth_data, LoginPassword)
                and auth_data.login == user.encode()
                and auth_data.password == password.encode())
        return AuthResult(success=good, handled=False)
    return check


def main():
    parser = argparse.ArgumentParser()
    for option in ("--port", "--cert", "--key", "--user", "--password", "--folder"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()

    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(args.cert, args.key)
    controller = Controller(SaveToFolder(pathlib.Path(args.folder)), hostname="127.0.0.1",
                            port=int(args.port), tls_context=tls, require_starttls=True,
                            authenticator=one_account(args.user, args.password),
                            auth_require_tls=True)
    controller.start()
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
