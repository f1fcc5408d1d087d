"""atheris fuzz targets, run in a subprocess by test_fuzz.py: python -m tests.fuzz_targets NAME [libFuzzer flags].

A target fails (non-zero exit) only on an exception other than the clean refusal it is allowed to raise.
"""

from __future__ import annotations

import io
import sys
import tempfile
from functools import lru_cache
from zoneinfo import ZoneInfo

import atheris

with atheris.instrument_imports():
    from bot.channels import wechat, wechat_crypto
    from intake.services.console import roster
    from intake.services.console.tables import TableError, read_table

# Only our own code on the text path: instrumenting numpy, scikit-learn and jieba would take minutes.
with atheris.instrument_imports(include=["intake", "bot"]):
    from intake.services import plain_text
    from intake.services.drafts import documents, drafting
    from intake.services.privacy import masking
    from intake.services.reception import messages, spam
    from intake.services.topics import tagging


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


@lru_cache(maxsize=1)
def _text_path_world():
    """One SQLite database with a deputy, made once per run: every input goes through the real services."""
    from intake.classifier.taxonomy import load as load_taxonomy
    from intake.db import make_engine, make_session_factory
    from intake.migrate import upgrade
    from intake.models import Deputy, Station

    folder = tempfile.mkdtemp(prefix="mashang-fuzz-")
    engine = make_engine(f"sqlite:///{folder}/fuzz.db")
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        station = Station(name="青石街道人大代表联络站")
        session.add(Deputy(name="王秀兰", level="区", station=station, phone="13900000001"))
    return sessions, load_taxonomy(None)


def _sheet_cells(texts: list[str]) -> bytes:
    from openpyxl import Workbook, load_workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("留言")
    sheet.append([plain_text.text_cell(sheet, text) for text in texts])
    out = io.BytesIO()
    book.save(out)
    for row in load_workbook(io.BytesIO(out.getvalue())).active.iter_rows():
        assert all(cell.data_type != "f" for cell in row), "a formula cell in the export"
    return out.getvalue()


def text_path(data: bytes) -> None:
    """Arbitrary Unicode through intake, tagging, drafting, the .docx and the .xlsx: refused cleanly or
    carried through, never an exception."""
    text = atheris.FuzzedDataProvider(data).ConsumeUnicode(3000)
    sessions, taxonomy = _text_path_world()
    tz = ZoneInfo("Asia/Shanghai")
    with sessions() as session, session.begin():
        try:
            stored = messages.submit(session, deputy_id=1, citizen_id=None, text=text, channel="web", max_chars=2000,
                                     local_tz=tz)
        except messages.MessageRejected:
            return
        tagging.tag_message(session, stored.id, taxonomy=taxonomy, threshold=0.5, signing_key=b"fuzz")
        drafted = drafting.batch_deputy(session, 1, tz, 1)
        for draft in drafting.all_drafts(session, 1):
            if draft.id in drafted:
                documents.draft_document(draft, tz)
        masked = masking.mask(text)
        spam.compact(text)
    _sheet_cells([text, masked, plain_text.spreadsheet_text(text)])


TARGETS = {"wechat_xml": wechat_xml, "wechat_ciphertext": wechat_ciphertext, "roster_csv": roster_csv,
           "text_path": text_path}

if __name__ == "__main__":
    target = TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0]] + sys.argv[2:], target)
    atheris.Fuzz()
