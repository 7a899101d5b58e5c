"""What the worst files of issue 13 cost to load: seconds and peak memory, each in its own process.

    .venv/bin/python benchmarks/hostile_files.py [--out DIR] [--big]

Target: every file under 10 s and 1 GiB (a refusal counts as an outcome: it must be quick and name the
limit). --big adds a 1 GB file of blank lines (needs that much free disk space).

Files (generated into DIR, default a temporary folder that is removed afterwards):
- zip-bomb xlsx of ~1, ~3 and ~6 MB: one sheet of identical rows that unpacks hundreds of times larger;
- 32 KB-class xlsx with a styled empty cell in column XFD (of row 1, and of row 1,048,576);
- 200 MB of blank lines after a header and a few rows: empty lines, comma-only lines, space-only lines;
- a CSV whose second line opens a quote that never closes, followed by 100 MB of rows.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "inquiry_id,received_at,customer_name,customer_address,target_phone,staff_minutes\n"
ROWS = "".join(
    f"Q{i},2026-11-24 10:00,山田太郎,東京都新宿区1-1,03-1234-5678,10\n" for i in range(20)
)
MiB = 1024 * 1024

LOAD = """
import resource, sys, time, tempfile, os
from pathlib import Path
from pipelines.loader import load_files
from pipelines.readers import FileRefused
db = Path(tempfile.mkdtemp()) / "t.duckdb"
t = time.perf_counter()
try:
    result = load_files([sys.argv[1]], db)
    outcome = "; ".join(p.summary().split(": ", 1)[1] for p in result.parts)
except FileRefused as exc:
    outcome = f"refused [{exc.code}] {exc.problem}"
seconds = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{seconds:.2f}\\t{rss:.0f}\\t{outcome}")
"""

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="受付" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def zip_bomb(path: Path, packed_bytes: int) -> Path:
    """An .xlsx whose one sheet repeats the same row until the archive reaches packed_bytes."""
    cells = "".join(
        f'<c t="inlineStr"><is><t>{v}</t></is></c>'
        for v in ("Q1", "2026-11-24 10:00", "山田太郎", "東京都新宿区1-1", "03-1234-5678", "10")
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
                + ("<row>" + HEADER.strip().replace(",", "</c><c>") + "</row>").encode()
            )
            block = ("<row>" + cells + "</row>").encode() * 10_000
            while path.stat().st_size < packed_bytes:
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def styled_far_cell(path: Path, cell: str) -> Path:
    """A small workbook with 600 rows and one empty but styled cell far away (`cell`)."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    for i in range(600):
        ws.append([f"Q{i}", "2026-11-24 10:00", "山田太郎", "東京都新宿区1-1", "03-1234-5678", 10])
    ws[cell].font = Font(bold=True)
    wb.save(path)
    return path


def blank_lines(path: Path, line: bytes, total: int) -> Path:
    """A header, a few rows, then `total` bytes of the same blank line."""
    with path.open("wb") as fh:
        fh.write((HEADER + ROWS).encode())
        block = line * max(1, (8 * MiB) // len(line))
        written = 0
        while written < total:
            fh.write(block)
            written += len(block)
    return path


def stray_quote(path: Path, total: int) -> Path:
    """A quote mark that never closes on line 2, then `total` bytes of ordinary rows."""
    with path.open("wb") as fh:
        fh.write((HEADER + 'Q0,2026-11-24,"山田,x,y,1\n').encode())
        block = (ROWS * 100).encode()
        written = 0
        while written < total:
            fh.write(block)
            written += len(block)
    return path


def measure(path: Path) -> tuple[float, float, str]:
    out = subprocess.run(
        [sys.executable, "-c", LOAD, str(path)], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        return float("nan"), float("nan"), "CRASHED: " + out.stderr.strip().splitlines()[-1]
    seconds, rss, outcome = out.stdout.strip().split("\t", 2)
    return float(seconds), float(rss), outcome


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, help="keep the generated files in this folder")
    parser.add_argument("--big", action="store_true", help="also 1 GB of blank lines")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        files = [
            zip_bomb(
                out / "zip_bomb_1mb.xlsx", 1 * MiB
            ),  # under max_xlsx_bytes: the ratio refuses it
            zip_bomb(out / "zip_bomb_3mb.xlsx", 3 * MiB),
            zip_bomb(out / "zip_bomb_6mb.xlsx", 6 * MiB),
            styled_far_cell(out / "styled_XFD1.xlsx", "XFD1"),
            styled_far_cell(out / "styled_XFD1048576.xlsx", "XFD1048576"),
            blank_lines(out / "blank_lf_200mb.csv", b"\n", 200 * MiB),
            blank_lines(out / "blank_commas_200mb.csv", b",,,,,\r\n", 200 * MiB),
            blank_lines(out / "blank_spaces_200mb.csv", b"      \n", 200 * MiB),
            stray_quote(out / "stray_quote_100mb.csv", 100 * MiB),
        ]
        if args.big:
            files.append(blank_lines(out / "blank_lf_1gb.csv", b"\n", 1024 * MiB))
        print(f"{'file':<28} {'size':>10} {'seconds':>8} {'peak RSS':>9}  outcome")
        worst_s = worst_rss = 0.0
        for path in files:
            seconds, rss, outcome = measure(path)
            worst_s, worst_rss = max(worst_s, seconds), max(worst_rss, rss)
            size = path.stat().st_size
            print(
                f"{path.name:<28} {size / MiB:>8.1f} M {seconds:>8.2f} {rss:>7.0f} M  {outcome[:110]}"
            )
        ok = worst_s < 10 and worst_rss < 1024
        print(
            f"\nworst: {worst_s:.2f} s, {worst_rss:.0f} MiB — target < 10 s and < 1 GiB: "
            + ("met" if ok else "NOT MET")
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
