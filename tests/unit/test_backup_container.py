"""The encrypted backup format: a round trip, and each kind of damage told apart (truncated, corrupted, wrong
password, not a backup, newer format), whatever part of the file it hits."""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile

import pytest

from sbf_client.store.backup import container as c

CHEAP = c.KdfParams(memory_kib=8 * 1024, time_cost=1, parallelism=1)
CHUNK = c.MIN_CHUNK
PASSWORD = "correct horse 42"


def sealed(payload: bytes, password: str = PASSWORD) -> bytes:
    salt = os.urandom(c.SALT_SIZE)
    keys = c.derive_keys(password, salt, CHEAP)
    header = c.build_header(
        created_at="2026-12-03 10:00:00",
        product_version="0.1.0",
        units=["演示市第一中学"],
        payload_size=len(payload),
        keys=keys,
        salt=salt,
        kdf=CHEAP,
        chunk_size=CHUNK,
    )
    target = io.BytesIO()
    c.encrypt_stream(io.BytesIO(payload), target, header, keys)
    return target.getvalue()


def opened(data: bytes, password: str = PASSWORD) -> bytes:
    stream = io.BytesIO(data)
    header = c.read_header(stream, len(data))
    return b"".join(c.decrypt_chunks(stream, header, header.keys(password)))


PAYLOAD = bytes(range(256)) * 70  # 17,920 bytes: four full chunks and a short last one
FILE = sealed(PAYLOAD)
HEADER_END = len(c.read_header(io.BytesIO(FILE), len(FILE)).raw)


def flipped(data: bytes, at: int) -> bytes:
    damaged = bytearray(data)
    damaged[at] ^= 0x10
    return bytes(damaged)


def test_a_round_trip_gives_the_payload_back_and_the_header_says_what_it_holds():
    assert opened(FILE) == PAYLOAD
    header = c.read_header(io.BytesIO(FILE), len(FILE))
    assert header.units == ("演示市第一中学",) and header.created_at == "2026-12-03 10:00:00"
    assert header.chunk_count == 5 and header.file_size == len(FILE)
    assert b"correct horse" not in FILE and bytes(range(64)) not in FILE


def test_two_files_of_the_same_data_and_password_share_no_ciphertext():
    other = sealed(PAYLOAD)
    assert FILE[HEADER_END : HEADER_END + 64] != other[HEADER_END : HEADER_END + 64]


@pytest.mark.parametrize("keep", [0.999, 0.75, 0.5, HEADER_END, HEADER_END - 5, 12])
def test_a_cut_file_is_truncated(keep):
    size = int(len(FILE) * keep) if isinstance(keep, float) else keep
    with pytest.raises(c.TruncatedBackupError, match="备份文件不完整"):
        opened(FILE[:size])


def test_a_file_cut_exactly_at_a_chunk_boundary_is_truncated_too():
    with pytest.raises(c.TruncatedBackupError):
        opened(FILE[: HEADER_END + 2 * (CHUNK + c.TAG_SIZE)])


@pytest.mark.parametrize("where", ["header", "first chunk", "middle", "last byte"])
def test_a_flipped_bit_anywhere_is_corruption_not_a_wrong_password(where):
    at = {"header": HEADER_END - 40, "first chunk": HEADER_END + 3, "middle": len(FILE) // 2, "last byte": -1}[where]
    with pytest.raises(c.CorruptedBackupError, match="备份文件已损坏"):
        opened(flipped(FILE, at if at >= 0 else len(FILE) + at))


def test_a_zeroed_page_reordered_chunks_and_extra_bytes_are_corruption():
    page = HEADER_END + CHUNK
    zeroed = FILE[:page] + bytes(4096) + FILE[page + 4096 :]
    one, two = HEADER_END, HEADER_END + CHUNK + c.TAG_SIZE
    swapped = FILE[:one] + FILE[two : two + CHUNK + 16] + FILE[one:two] + FILE[two + CHUNK + 16 :]
    for damaged in (zeroed, swapped, FILE + b"\0"):
        with pytest.raises(c.CorruptedBackupError):
            opened(damaged)


def test_a_chunk_of_another_backup_made_with_the_same_password_does_not_fit():
    other = sealed(PAYLOAD)
    spliced = FILE[: HEADER_END + CHUNK + 16] + other[HEADER_END + CHUNK + 16 :]
    with pytest.raises(c.CorruptedBackupError):
        opened(spliced)


def test_a_wrong_password_is_told_apart():
    with pytest.raises(c.WrongPasswordError, match="备份密码不正确"):
        opened(FILE, "Correct horse 42")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage" * 1000,
        b"SQLite format 3\x00" + bytes(4080),
        b"%PDF-1.7\n",
    ],
    ids=["empty", "garbage", "a database", "a pdf"],
)
def test_what_is_not_a_backup_says_so(data):
    with pytest.raises(c.NotABackupError, match="不是本客户端的备份文件"):
        opened(data)


def test_a_zip_is_not_a_backup():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", "{}")
    with pytest.raises(c.NotABackupError):
        opened(buffer.getvalue())


def _rewritten(data: bytes, change) -> bytes:
    """The file with its header JSON changed and its checksum made right again (another product's tool)."""
    version, length = struct.unpack(">HI", data[8:14])
    body = json.loads(data[14 : 14 + length])
    change(body)
    text = json.dumps(body).encode()
    head = c.MAGIC + struct.pack(">HI", version, len(text)) + text
    import hashlib

    return head + hashlib.sha256(head).digest() + data[14 + length + 32 :]


def test_another_products_file_in_this_format_is_not_a_backup():
    with pytest.raises(c.NotABackupError):
        opened(_rewritten(FILE, lambda body: body.update(product="other-product")))


def test_a_newer_format_is_refused_as_newer():
    newer = FILE[:8] + struct.pack(">H", c.FORMAT_VERSION + 1) + FILE[10:]
    with pytest.raises(c.NewerBackupError, match="更新版本"):
        opened(newer)


def test_a_header_asking_for_absurd_costs_is_corrupted_not_obeyed():
    def greedy(body):
        body["kdf"]["memory_kib"] = 64 * 1024 * 1024

    with pytest.raises(c.CorruptedBackupError):
        opened(_rewritten(FILE, greedy))


def test_a_header_edited_with_a_fixed_checksum_still_fails_the_chunks():
    """The header is authenticated with every chunk: editing it (say, the creation time) is found."""

    def edit(body):
        body["created_at"] = "2020-01-01 00:00:00"

    with pytest.raises(c.CorruptedBackupError):
        opened(_rewritten(FILE, edit))
