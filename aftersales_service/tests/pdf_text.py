import subprocess
import tempfile
import unicodedata
from pathlib import Path


def pdf_text(pdf):
    """The text of a rendered PDF as pdftotext reads it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "report.pdf")
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    # CJK fonts map some glyphs to Kangxi radicals (⼆ for 二): normalise.
    return unicodedata.normalize("NFKC", text)
