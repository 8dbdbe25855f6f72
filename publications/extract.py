"""Read the text of one PDF, in a process of its own: `python -m publications.extract PATH`.

PDFium is not thread-safe, and some PDFs make a parser loop or swallow memory: the worker
never opens a PDF in its own process. It runs this module as a child with a time limit
(`publications.services.publication_text_extract`); the child limits its own memory first.
This module imports nothing of Django, so the child starts fast and touches no database.

The text goes to stdout as UTF-8, each page's words separated by single spaces, pages by a
blank line, at most `--max-chars` characters. Exit status 0: the PDF was read (the text is
empty when the PDF has no text layer, as in a scan); any other status: it could not be.
"""

import argparse
import re
import sys

# Control characters PostgreSQL cannot store (NUL) or that mean nothing in text, and the
# byte-order and non-characters PDFium may return; tabs and line breaks become spaces below.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff]")
# PDFium marks a hyphen it saw at the end of a line (a word broken in two) with \x02:
# joining the halves makes the word findable.
_LINE_END_HYPHEN = re.compile(r"\x02\s*")
_WHITESPACE = re.compile(r"\s+")

EXIT_UNREADABLE = 2


def normalise(text: str) -> str:
    """One page's text: words joined again across line-end hyphens, whitespace collapsed."""
    text = _LINE_END_HYPHEN.sub("", text)
    text = _CONTROL.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def extract(path: str, *, max_chars: int) -> str:
    """The text of the PDF at `path`, page after page, cut at `max_chars` characters."""
    import pypdfium2 as pdfium

    pages = []
    length = 0
    document = pdfium.PdfDocument(path)
    try:
        for page in document:
            textpage = page.get_textpage()
            try:
                text = normalise(textpage.get_text_bounded())
            finally:
                textpage.close()
                page.close()
            if text:
                pages.append(text)
                length += len(text) + 2
            if length >= max_chars:
                break
    finally:
        document.close()
    return "\n\n".join(pages)[:max_chars]


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space, where the system lets us (Linux does)."""
    if megabytes <= 0:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not on Linux
        pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--max-chars", type=int, default=5_000_000)
    parser.add_argument("--memory-mb", type=int, default=1024)
    args = parser.parse_args(argv)
    _limit_memory(args.memory_mb)
    try:
        text = extract(args.path, max_chars=args.max_chars)
    except Exception as error:  # whatever PDFium raises, the PDF cannot be read
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    sys.stdout.buffer.write(text.encode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
