"""The encrypted backup file (``.sbfbak``): a small clear header, then the payload in authenticated chunks.

Layout::

    MAGIC (8) | format version (u16) | header length (u32) | header JSON | SHA-256 of everything before (32)
    chunk 0 | chunk 1 | … | chunk n-1          each = AES-256-GCM(plaintext of chunk_size bytes, the last shorter)

Why these choices:

* AES-256-GCM (``cryptography``, a maintained binding to OpenSSL) is an authenticated cipher: any change to a
  chunk is found, not decrypted into garbage, and with AES-NI it runs at gigabytes a second, so a backup is
  bound by the disk, not the cipher.
* Argon2id (``argon2-cffi``) turns the backup password into the key. It is memory-hard (64 MiB by default):
  a stolen backup file cannot be attacked by guessing passwords on GPUs at any useful rate. Its parameters
  and a random salt are in the header, so a file opens whatever defaults a later version uses.
* Chunks (1 MiB by default) keep memory flat whatever the size of the data, and let progress and cancel work
  while the file is written or read. Each chunk's nonce is a random per-file prefix plus its index (the key is
  unique to the file through its salt), and its associated data are the whole header, its index and whether it
  is the last one: a chunk moved, dropped, cut off at the end, or a header edited is refused.

What a reader tells apart, one error class each (messages in Chinese, for the user):

* not a backup of this product: no ``MAGIC`` (garbage, a zip, a database, an empty file), or another
  product's name in a well-formed header;
* truncated: the file is shorter than its header says (the header gives the payload's exact size);
* corrupted: the header's SHA-256 does not match, a chunk fails authentication, the file is longer than it
  should be, or a value in the header is impossible;
* wrong password: the header is intact but the key-check value (an HMAC of the derived key, so it says
  nothing about the key) does not match;
* made by a newer version: a format version above ``FORMAT_VERSION``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sbf_client.core.errors import InputError

MAGIC = b"SBFBAK\x1a\n"
FORMAT_VERSION = 1
PRODUCT = "sbf-client"
TAG_SIZE = 16
NONCE_PREFIX_SIZE = 4
SALT_SIZE = 16
HEADER_HASH_SIZE = 32
MAX_HEADER = 64 * 1024
MIN_CHUNK, MAX_CHUNK, DEFAULT_CHUNK = 4 * 1024, 16 * 1024 * 1024, 1024 * 1024
_FIXED = struct.Struct(">HI")  # format version, header length
_AAD_TAIL = struct.Struct(">QB")  # chunk index, last-chunk flag


@dataclass(frozen=True)
class KdfParams:
    """Argon2id's cost: memory in KiB, passes, lanes."""

    memory_kib: int = 64 * 1024
    time_cost: int = 3
    parallelism: int = 4

    def plausible(self) -> bool:
        """Bounds a reader accepts, so that a damaged header cannot ask for gigabytes or hours."""
        return 8 * 1024 <= self.memory_kib <= 1024 * 1024 and 1 <= self.time_cost <= 20 and 1 <= self.parallelism <= 16


DEFAULT_KDF = KdfParams()

# ---------------------------------------------------------------------- errors, one per class of bad file


class BackupFileError(InputError):
    """A backup file this program cannot use; nothing was changed."""


class NotABackupError(BackupFileError):
    def __init__(self) -> None:
        super().__init__("所选文件不是本客户端的备份文件。请选择由本客户端生成的备份文件（文件名以 .sbfbak 结尾）。")


class TruncatedBackupError(BackupFileError):
    def __init__(self) -> None:
        super().__init__(
            "备份文件不完整（文件被截断，可能复制或下载未完成）。请重新复制完整的备份文件，或选择其他备份文件。"
        )


class CorruptedBackupError(BackupFileError):
    def __init__(self) -> None:
        super().__init__("备份文件已损坏（内容校验未通过），无法使用。请选择其他备份文件。")


class WrongPasswordError(BackupFileError):
    def __init__(self) -> None:
        super().__init__("备份密码不正确，无法打开该备份文件。请输入创建该备份时设置的备份密码。")


class NewerBackupError(BackupFileError):
    def __init__(self) -> None:
        super().__init__("该备份文件由更新版本的客户端创建，当前版本无法恢复。请先升级客户端，再恢复该备份。")


# ---------------------------------------------------------------------- keys and header


@dataclass(frozen=True)
class Keys:
    cipher: bytes  # the AES-256 key
    check: bytes  # stored in the header: tells a wrong password from a damaged file


def derive_keys(password: str, salt: bytes, kdf: KdfParams) -> Keys:
    master = hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    return Keys(
        cipher=hmac.digest(master, b"sbf-backup/aes-256-gcm", "sha256"),
        check=hmac.digest(master, b"sbf-backup/key-check", "sha256"),
    )


@dataclass(frozen=True)
class Header:
    """The clear header: what a backup list shows without the password, and how to decrypt the rest."""

    created_at: str
    product_version: str
    units: tuple[str, ...]  # 纳税人名称 only (an ID-like 纳税人识别号 stays inside the encrypted payload)
    payload_size: int
    chunk_size: int
    kdf: KdfParams
    salt: bytes
    nonce_prefix: bytes
    key_check: bytes
    raw: bytes  # the bytes of the prefix, authenticated with every chunk

    @property
    def chunk_count(self) -> int:
        return -(-self.payload_size // self.chunk_size)

    @property
    def file_size(self) -> int:
        return len(self.raw) + self.payload_size + TAG_SIZE * self.chunk_count

    def keys(self, password: str) -> Keys:
        """The keys for this file, or ``WrongPasswordError``."""
        keys = derive_keys(password, self.salt, self.kdf)
        if not hmac.compare_digest(keys.check, self.key_check):
            raise WrongPasswordError()
        return keys

    def matches(self, keys: Keys) -> bool:
        return hmac.compare_digest(keys.check, self.key_check)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def build_header(
    *,
    created_at: str,
    product_version: str,
    units: list[str],
    payload_size: int,
    keys: Keys,
    salt: bytes,
    kdf: KdfParams,
    chunk_size: int = DEFAULT_CHUNK,
) -> Header:
    nonce_prefix = os.urandom(NONCE_PREFIX_SIZE)
    body = {
        "format": FORMAT_VERSION,
        "product": PRODUCT,
        "product_version": product_version,
        "created_at": created_at,
        "units": units,
        "payload_size": payload_size,
        "cipher": {"name": "AES-256-GCM", "chunk_size": chunk_size, "nonce_prefix": _b64(nonce_prefix)},
        "kdf": {
            "name": "argon2id",
            "memory_kib": kdf.memory_kib,
            "time_cost": kdf.time_cost,
            "parallelism": kdf.parallelism,
            "salt": _b64(salt),
        },
        "key_check": _b64(keys.check),
    }
    text = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
    head = MAGIC + _FIXED.pack(FORMAT_VERSION, len(text)) + text
    raw = head + hashlib.sha256(head).digest()
    return Header(
        created_at, product_version, tuple(units), payload_size, chunk_size, kdf, salt, nonce_prefix, keys.check, raw
    )


def read_header(stream: BinaryIO, file_size: int) -> Header:
    """The header of an open file of ``file_size`` bytes; raises one of the ``BackupFileError`` classes."""
    fixed_end = len(MAGIC) + _FIXED.size
    start = stream.read(fixed_end)
    if not start or not start.startswith(MAGIC[: len(start)]):
        raise NotABackupError()
    if len(start) < fixed_end:
        raise TruncatedBackupError()
    version, length = _FIXED.unpack(start[len(MAGIC) :])
    if version > 1000 or length > MAX_HEADER:
        raise CorruptedBackupError()
    if version > FORMAT_VERSION:
        raise NewerBackupError()
    rest = stream.read(length + HEADER_HASH_SIZE)
    if len(rest) < length + HEADER_HASH_SIZE:
        raise TruncatedBackupError()
    head, digest = start + rest[:length], rest[length:]
    if not hmac.compare_digest(hashlib.sha256(head).digest(), digest):
        raise CorruptedBackupError()
    try:
        header = _parse(rest[:length], head + digest)
    except (ValueError, KeyError, TypeError) as error:
        raise CorruptedBackupError() from error
    if file_size < header.file_size:
        raise TruncatedBackupError()
    if file_size > header.file_size:
        raise CorruptedBackupError()
    return header


def _parse(text: bytes, raw: bytes) -> Header:
    body: dict[str, Any] = json.loads(text.decode("utf-8"))
    if body["product"] != PRODUCT:
        raise NotABackupError()
    if int(body["format"]) > FORMAT_VERSION:
        raise NewerBackupError()
    kdf_body, cipher = body["kdf"], body["cipher"]
    kdf = KdfParams(int(kdf_body["memory_kib"]), int(kdf_body["time_cost"]), int(kdf_body["parallelism"]))
    salt = base64.b64decode(kdf_body["salt"], validate=True)
    nonce_prefix = base64.b64decode(cipher["nonce_prefix"], validate=True)
    chunk_size, payload_size = int(cipher["chunk_size"]), int(body["payload_size"])
    if (
        kdf_body["name"] != "argon2id"
        or cipher["name"] != "AES-256-GCM"
        or not kdf.plausible()
        or len(salt) != SALT_SIZE
        or len(nonce_prefix) != NONCE_PREFIX_SIZE
        or not MIN_CHUNK <= chunk_size <= MAX_CHUNK
        or payload_size <= 0
    ):
        raise ValueError("implausible header")
    units = body["units"]
    if not isinstance(units, list) or not all(isinstance(name, str) for name in units):
        raise ValueError("units")
    return Header(
        str(body["created_at"]),
        str(body["product_version"]),
        tuple(units),
        payload_size,
        chunk_size,
        kdf,
        salt,
        nonce_prefix,
        base64.b64decode(body["key_check"], validate=True),
        raw,
    )


def open_header(path: Path) -> Header:
    """The header of the file at ``path`` (the password is not needed)."""
    with path.open("rb") as stream:
        return read_header(stream, os.fstat(stream.fileno()).st_size)


# ---------------------------------------------------------------------- the chunks


class Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


def _nonce(header: Header, index: int) -> bytes:
    return header.nonce_prefix + index.to_bytes(8, "big")


def _aad(header: Header, index: int, last: bool) -> bytes:
    return header.raw + _AAD_TAIL.pack(index, 1 if last else 0)


def encrypt_stream(
    source: Readable,
    target: BinaryIO,
    header: Header,
    keys: Keys,
    on_chunk: Callable[[int], None] | None = None,
) -> None:
    """Write the header, then ``header.payload_size`` bytes of ``source`` in encrypted chunks; ``on_chunk``
    hears the plaintext bytes done after each chunk (and may raise to stop)."""
    cipher = AESGCM(keys.cipher)
    target.write(header.raw)
    done, last_index = 0, header.chunk_count - 1
    for index in range(header.chunk_count):
        plain = source.read(header.chunk_size)
        if len(plain) != min(header.chunk_size, header.payload_size - done) or not plain:
            raise OSError("the payload changed size while it was encrypted")
        target.write(cipher.encrypt(_nonce(header, index), plain, _aad(header, index, index == last_index)))
        done += len(plain)
        if on_chunk is not None:
            on_chunk(done)


def decrypt_chunks(stream: BinaryIO, header: Header, keys: Keys) -> Iterator[bytes]:
    """The payload's plaintext chunk by chunk, from a stream just after the header; raises
    ``CorruptedBackupError`` (or ``TruncatedBackupError``) at the first chunk that does not authenticate."""
    cipher = AESGCM(keys.cipher)
    remaining, last_index = header.payload_size, header.chunk_count - 1
    for index in range(header.chunk_count):
        size = min(header.chunk_size, remaining)
        sealed = stream.read(size + TAG_SIZE)
        if len(sealed) < size + TAG_SIZE:
            raise TruncatedBackupError()  # the file shrank after its size was read
        try:
            plain = cipher.decrypt(_nonce(header, index), sealed, _aad(header, index, index == last_index))
        except InvalidTag:
            raise CorruptedBackupError() from None
        remaining -= size
        yield plain
