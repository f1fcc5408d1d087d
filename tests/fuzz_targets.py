"""atheris fuzz targets, run in a subprocess by test_fuzz.py: python -m tests.fuzz_targets NAME [libFuzzer flags].

A target fails (non-zero exit) only on an exception other than the clean refusal it is allowed to raise.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from bot.channels import wechat, wechat_crypto
    from intake.services.console import roster
    from intake.services.console.tables import TableError, read_table


def wechat_xml(data: bytes) -> None:
    try:
        wechat.parse(data)
    except wechat.BadXml:
        pass


def wechat_ciphertext(data: bytes) -> None:
    crypto = wechat_crypto.MessageCrypto("a" * 43, "wx0123456789abcdef")
    text = data.decode("latin-1")
    try:
        crypto.decrypt(text)
    except (wechat_crypto.CryptoError, wechat_crypto.WrongAppId):
        pass


def roster_csv(data: bytes) -> None:
    try:
        roster.parse(read_table("roster.csv", data))
    except (TableError, roster.RosterError):
        pass


TARGETS = {"wechat_xml": wechat_xml, "wechat_ciphertext": wechat_ciphertext, "roster_csv": roster_csv}

if __name__ == "__main__":
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0]] + sys.argv[2:], target)
    atheris.Fuzz()
