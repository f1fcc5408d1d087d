"""WeChat Official Account signatures and message encryption (safe mode), as WeChat's server does them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32 bytes, not AES's 16


class CryptoError(ValueError):
    """The ciphertext is damaged (a 400), as opposed to signed by someone else (a 403)."""


class WrongAppId(ValueError):
    """Decrypted fine but was meant for another Official Account."""


def signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def signature_ok(expected_parts: tuple[str, ...], given: str | None) -> bool:
    # Constant-time: a signature checked byte by byte would leak how much of a guess was right.
    return bool(given) and hmac.compare_digest(signature(*expected_parts), given)


class MessageCrypto:
    def __init__(self, encoding_aes_key: str, app_id: str):
        try:
            self.key = base64.b64decode(encoding_aes_key + "=")
        except binascii.Error as exc:
            raise ValueError("WECHAT_ENCODING_AES_KEY is not a 43-character key") from exc
        if len(self.key) != 32:
            raise ValueError("WECHAT_ENCODING_AES_KEY is not a 43-character key")
        self.app_id = app_id

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, text: str) -> str:
        body = text.encode()
        plain = os.urandom(16) + struct.pack(">I", len(body)) + body + self.app_id.encode()
        pad = BLOCK - len(plain) % BLOCK
        plain += bytes([pad]) * pad
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        try:
            raw = base64.b64decode(encrypted, validate=True)
            if not raw or len(raw) % 16:
                raise CryptoError("ciphertext length")
            decryptor = self._cipher().decryptor()
            plain = decryptor.update(raw) + decryptor.finalize()
            pad = plain[-1]
            if not 1 <= pad <= BLOCK:
                raise CryptoError("padding")
            content = plain[16:-pad]
            (length,) = struct.unpack(">I", content[:4])
            if length > len(content) - 4:
                raise CryptoError("length")
            text = content[4:4 + length].decode()
            app_id = content[4 + length:].decode()
        except (binascii.Error, struct.error, UnicodeDecodeError, ValueError, IndexError) as exc:
            if isinstance(exc, CryptoError):
                raise
            raise CryptoError(str(exc)) from exc
        if not hmac.compare_digest(app_id.encode(), self.app_id.encode()):
            raise WrongAppId(app_id)
        return text
