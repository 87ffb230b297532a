"""What the environment does wrong (a full disk, a hostile workbook, a wrong encoding, an option out
of range) ends in one clear RiskgradeError, exit 2, and leaves no temporary file behind."""

from __future__ import annotations

import errno
import io
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import riskgrade
import riskgrade.io.write as write_module
from riskgrade import InputError, OptionError, OutputError
from riskgrade.api import EXAMPLE_PACK
from riskgrade.cli.main import main
from riskgrade.io.read import open_entities

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def rules(tmp_path: Path) -> str:
    path = tmp_path / "demo.yaml"
    path.write_text(EXAMPLE_PACK, encoding="utf-8")
    return str(path)


def grade(path: Path, rules: str, out: Path, *extra: str) -> int:
    return main(["grade", str(path), "--rules", rules, "--as-of", "2026-01-01", "-o", str(out), "--quiet", *extra])


def _workbook(tmp_path: Path, patch: bytes | None = None, prolog: bytes = b"") -> Path:
    plain = tmp_path / "plain.xlsx"
    book = Workbook()
    book.active.append(["entity_id", "exits"])
    book.active.append(["a", 1])
    book.save(plain)
    out = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<worksheet", prolog + b"<worksheet", 1)
                if patch:
                    data = data.replace(b'<row r="2">', patch + b'<row r="9">', 1)
            zout.writestr(item, data)
    return out


def test_a_workbook_declaring_a_dtd_is_refused_before_parsing(tmp_path, rules, capsys):
    laughs = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' \
             b'<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    path = _workbook(tmp_path, prolog=laughs)
    with pytest.raises(InputError, match="DTD"):
        open_entities(path)
    assert grade(path, rules, tmp_path / "o.jsonl") == 2
    assert "declares a DTD" in capsys.readouterr().err


def test_a_sheet_damaged_half_way_names_the_row(tmp_path, rules, capsys):
    path = _workbook(tmp_path, patch=b'<row r="2"><c r="A2" t="inlineStr"><is><t>&nope;</t></is></c></row>')
    assert grade(path, rules, tmp_path / "o.jsonl") == 2
    err = capsys.readouterr().err
    assert "damaged after row 1" in err and "Traceback" not in err


@pytest.mark.parametrize("encoding, words", [("nope", "unknown encoding"), ("rot13", "not a text encoding"),
                                             ("hex", "not a text encoding"), ("utf-16", "not valid utf-16"),
                                             ("utf-32", "not valid utf-32")])
def test_a_wrong_encoding_is_a_clear_error(tmp_path, rules, capsys, encoding, words):
    src = tmp_path / "in.csv"
    src.write_text("entity_id,exits\na,1\nb,2\n", encoding="utf-8")
    assert grade(src, rules, tmp_path / "o.jsonl", "--input-encoding", encoding) == 2
    assert words in capsys.readouterr().err
    lines = tmp_path / "in.jsonl"
    lines.write_text('{"entity_id": "a", "exits": 1}\n', encoding="utf-8")
    assert grade(lines, rules, tmp_path / "o.jsonl", "--input-encoding", "utf-16") == 2
    assert "newline byte" in capsys.readouterr().err


@pytest.mark.parametrize("encoding", ["nope", "rot13", "hex"])
def test_a_wrong_output_encoding_is_a_clear_error(tmp_path, rules, capsys, encoding):
    src = tmp_path / "in.csv"
    src.write_text("entity_id,exits\na,1\n", encoding="utf-8")
    assert grade(src, rules, tmp_path / "o.csv", "--encoding", encoding) == 2
    err = capsys.readouterr().err
    assert "encoding" in err and "internal error" not in err


def test_utf16_output_has_one_byte_order_mark_however_many_chunks(tmp_path, rules):
    src = tmp_path / "in.csv"
    src.write_text("entity_id,exits\n" + "".join(f"e{i},{i % 3}\n" for i in range(25)), encoding="utf-8")
    out = tmp_path / "o.csv"
    assert grade(src, rules, out, "--encoding", "utf-16", "--chunk-rows", "4") == 0
    data = out.read_bytes()
    assert data.count(b"\xff\xfe") == 1 and len(data.decode("utf-16").splitlines()) == 26


def test_chunk_rows_below_one_is_an_option_error(tmp_path, rules, capsys):
    src = tmp_path / "in.csv"
    src.write_text("entity_id,exits\na,1\n", encoding="utf-8")
    for rows in ("0", "-5"):
        assert grade(src, rules, tmp_path / "o.jsonl", "--chunk-rows", rows) == 2
    assert "chunk_rows" in capsys.readouterr().err
    with pytest.raises(OptionError):
        open_entities(src, chunk_rows=0)


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("graded") / "g.jsonl"
    riskgrade.grade_file(ROOT / "examples" / "venues.csv", riskgrade.load_pack(ROOT / "rules" / "fire_safety.yaml"),
                         out, as_of="2026-11-01")
    return out


@pytest.mark.parametrize("officers", ["1e20", "99999999999999999999", "１", "nan"])
def test_a_capacity_past_any_station_is_refused(tmp_path, capsys, graded, officers):
    fire = str(ROOT / "rules" / "fire_safety.yaml")
    capacity = tmp_path / "cap.csv"
    capacity.write_text(f"station,officers,per_officer_per_day\n上城区南星派出所,{officers},3\n", encoding="utf-8")
    assert main(["plan", str(graded), "--rules", fire, "--from", "2026-11-02", "--to", "2026-11-30",
                 "--capacity", str(capacity)]) == 2
    err = capsys.readouterr().err
    assert "cap.csv, row 2, column 'officers'" in err and "Traceback" not in err


class _FullDisk(io.RawIOBase):
    """A file on a disk with ``room`` bytes left: past them every write fails with ENOSPC."""

    def __init__(self, fd: int, room: int) -> None:
        self.file = os.fdopen(fd, "wb", buffering=0)
        self.room = room

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.file.write(data)

    def tell(self) -> int:
        return self.file.tell()

    def fileno(self) -> int:
        return self.file.fileno()

    def close(self) -> None:
        self.file.close()
        super().close()


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet", ".xlsx"])
@pytest.mark.parametrize("room", [0, 3000])
def test_a_full_disk_is_an_output_error_and_leaves_no_temporary_file(tmp_path, monkeypatch, capsys, suffix, room):
    """The buffered file fails again when it is closed; the temporary file is removed all the same
    (before, the close in the clean-up raised first) and the previous output stays as it was."""
    work = tmp_path / "work"
    work.mkdir()
    src, rules = tmp_path / "in.csv", tmp_path / "demo.yaml"
    src.write_text("entity_id,exits,name\n" + "".join(f"e{i},{i % 4},场所 {i}\n" for i in range(400)), encoding="utf-8")
    rules.write_text(EXAMPLE_PACK, encoding="utf-8")
    out = work / f"out{suffix}"
    out.write_bytes(b"previous")
    monkeypatch.setattr(write_module, "_open_fd", lambda fd: io.BufferedWriter(_FullDisk(fd, room), 1024))
    code = main(["grade", str(src), "--rules", str(rules), "--as-of", "2026-11-01", "-o", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "No space left on device" in err and "Traceback" not in err
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in work.iterdir()) == [out.name]
    with pytest.raises(OutputError):
        riskgrade.grade_file(src, riskgrade.loads_pack(EXAMPLE_PACK), out, as_of="2026-11-01")
    assert sorted(p.name for p in work.iterdir()) == [out.name]
