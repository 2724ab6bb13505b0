"""Small pieces shared by the workbooks: the notes sheet and streamed rows."""

from odoo.tools import SQL

from .xlsx_writer import XlsxColumn

# Rows fetched per round trip from a server-side cursor.
FETCH_SIZE = 2000


def write_notes(env, book, notes):
    """A sheet saying how the figures are made: ``notes`` are (topic, text)."""
    table = book.table(
        env._("Notes"),
        [
            XlsxColumn("topic", env._("Topic"), width=22),
            XlsxColumn("note", env._("Note"), "long", width=90),
        ],
        freeze_cols=0,
    )
    for topic, text in notes:
        table.add_row([topic, text])
    table.close()


def stream_rows(cr, query, name):
    """The rows of ``query`` as dicts, fetched in batches from a server-side
    cursor, so a long detail sheet never sits in memory at once."""
    cursor_name = SQL.identifier(name)
    cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", cursor_name, query))
    try:
        while True:
            cr.execute(SQL("FETCH FORWARD %s FROM %s", FETCH_SIZE, cursor_name))
            rows = cr.dictfetchall()
            yield from rows
            if len(rows) < FETCH_SIZE:
                break
    finally:
        cr.execute(SQL("CLOSE %s", cursor_name))
