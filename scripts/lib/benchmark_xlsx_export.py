# Benchmark of the ticket register export, run inside `odoo shell` (which
# provides `env`) by scripts/benchmark-xlsx-export.sh.
#
# It makes BENCH_TICKETS tickets (40 made through the ORM, the rest copied from
# them in SQL, as the benchmark measures the export, not ticket creation), then
# measures the register export and, on the same tickets, Odoo's own list export
# (export_data into an in-memory xlsxwriter workbook, as the web client's
# "Export" does): wall time, Python peak memory (tracemalloc, separate run) and
# the number of SQL queries.
import gc
import io
import os
import resource
import time
import tracemalloc
from datetime import datetime, timedelta

import xlsxwriter

from odoo import Command

from odoo.addons.aftersales_service.models.aftersales_xlsx_helpers import (
    FETCH_SIZE,
)

TOTAL = int(os.environ.get("BENCH_TICKETS", "100000"))
CORE_TICKETS = int(os.environ.get("BENCH_CORE_TICKETS", "10000"))
SEEDS = 40
PREFIX = "BENCH"
YEAR_START = datetime(2025, 1, 1)

CORE_FIELDS = [
    "name", "subject", "partner_id", "product_id", "lot_id", "type_id",
    "channel", "priority", "fault_level_id", "service_level", "warranty_state",
    "service_category", "team_id", "user_id", "stage_id", "date_received",
    "date_first_response", "date_onsite", "date_resolved", "date_closed",
    "sla_policy_id", "sla_response_result", "sla_onsite_result",
    "sla_resolution_result", "is_repeat_failure", "compensation_amount",
]  # fmt: skip


def log(message):
    print(message, flush=True)


def make_seeds(env):
    partners = env["res.partner"].create(
        [{"name": f"Bench Customer {i}", "is_company": True} for i in range(20)]
    )
    products = env["product.product"].create(
        [{"name": f"Bench Product {i}", "default_code": f"BP{i}"} for i in range(10)]
    )
    group = env.ref("aftersales_service.group_aftersales_technician")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench Technician {i}",
                "login": f"bench_tech_{i}",
                "groups_id": [Command.set(group.ids)],
            }
            for i in range(5)
        ]
    )
    team = env["aftersales.team"].create(
        {"name": "Bench Team", "member_ids": [Command.set(users.ids)]}
    )
    levels = env["aftersales.fault.level"].search([])
    return env["aftersales.ticket"].create(
        [
            {
                "name": f"{PREFIX}-SEED-{i}",
                "subject": f"Bench ticket {i}",
                "partner_id": partners[i % 20].id,
                "product_id": products[i % 10].id,
                "user_id": users[i % 5].id,
                "team_id": team.id,
                "fault_level_id": levels[i % len(levels)].id if levels else False,
                "channel": ("phone", "email", "portal", "walk_in")[i % 4],
                "date_received": YEAR_START + timedelta(hours=i),
                "compensation_amount": float(i % 7) * 10,
            }
            for i in range(SEEDS)
        ]
    )


def ensure_tickets(env):
    Ticket = env["aftersales.ticket"].with_context(tracking_disable=True)
    existing = Ticket.search_count([("name", "=like", f"{PREFIX}-%")])
    if existing >= TOTAL:
        log(f"reusing {existing} benchmark tickets")
        return
    log(f"creating {TOTAL} benchmark tickets")
    seeds = make_seeds(env(su=True, context=dict(env.context, tracking_disable=True)))
    env.flush_all()
    copies = (TOTAL - SEEDS) // SEEDS + 1
    cr = env.cr
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'aftersales_ticket'
           AND column_name NOT IN ('id', 'name', 'date_received')
        """
    )
    columns = [row[0] for row in cr.fetchall()]
    quoted = ", ".join(f'"{c}"' for c in columns)
    copied = ", ".join(f's."{c}"' for c in columns)
    # Tickets spread evenly over the year 2025, one every few minutes.
    cr.execute(
        f"""
        INSERT INTO aftersales_ticket (name, date_received, {quoted})
        SELECT %s || '-' || g || '-' || s.id,
               %s + ((g * %s + row_number() OVER (PARTITION BY g ORDER BY s.id))
                     * (interval '365 days' / %s)),
               {copied}
          FROM aftersales_ticket s CROSS JOIN generate_series(1, %s) g
         WHERE s.id IN %s
         LIMIT %s
        """,
        [PREFIX, YEAR_START, SEEDS, TOTAL, copies, tuple(seeds.ids), TOTAL - SEEDS],
    )
    env.cr.commit()
    log(f"{Ticket.search_count([('name', '=like', f'{PREFIX}-%')])} tickets ready")


def wizard_for(env, days):
    return env["aftersales.xlsx.export"].create(
        {
            "report": "aftersales.xlsx.ticket.register",
            "date_from": YEAR_START.date(),
            "date_to": YEAR_START.date() + timedelta(days=days - 1),
            "company_ids": [Command.set(env.company.ids)],
        }
    )


def measure(env, function):
    """(result, seconds, queries, Python peak bytes) of an export."""
    env.invalidate_all()
    gc.collect()
    before = env.cr.sql_log_count
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    queries = env.cr.sql_log_count - before
    del result
    # Second run: steady-state query count (caches of the first run are warm)
    # and the Python peak memory.
    env.invalidate_all()
    gc.collect()
    before = env.cr.sql_log_count
    tracemalloc.start()
    result = function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    queries = env.cr.sql_log_count - before
    return result, seconds, queries, peak


def ours(wizard):
    return lambda: wizard._render()[1]


def core(env, domain):
    def export():
        records = env["aftersales.ticket"].search(domain)
        rows = records.export_data(CORE_FIELDS)["datas"]
        output = io.BytesIO()
        book = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = book.add_worksheet()
        for col, name in enumerate(CORE_FIELDS):
            sheet.write(0, col, name)
        for row_index, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                sheet.write(row_index, col, value)
        book.close()
        return output.getvalue()

    return export


def row_count(env, wizard):
    domain = wizard._ticket_domain() + wizard._period_domain("date_received")
    return env["aftersales.ticket"].search_count(domain), domain


def main(env):
    ensure_tickets(env)
    # Read as the administrator: record rules apply and, with invoice rights,
    # the register joins invoices, refunds and claims too.
    env = env(user=env.ref("base.user_admin").id, su=False)
    wizard_for(env, 1)._render()  # warm-up: translations, access rights, views
    results = []
    days_for = {}
    for size in sorted({1000, CORE_TICKETS, TOTAL}):
        days_for[size] = max(1, round(365 * size / TOTAL))
    for size, days in sorted(days_for.items()):
        wizard = wizard_for(env, days)
        count, domain = row_count(env, wizard)
        content, seconds, queries, peak = measure(env, ours(wizard))
        results.append(("register", count, seconds, queries, peak, len(content)))
        # The rows come from one query through a server-side cursor, read in
        # batches: the rest are FETCH round trips of that same query.
        fetches = count // FETCH_SIZE + 1
        log(
            f"register  {count:>7} tickets: {seconds:7.2f} s, {queries:4d} queries"
            f" ({queries - fetches} statements + {fetches} FETCH),"
            f" Python peak {peak / 2**20:7.1f} MiB, file {len(content) / 2**20:.1f} MiB"
        )
        if size <= CORE_TICKETS:
            content, seconds, queries, peak = measure(env, core(env, domain))
            results.append(("core", count, seconds, queries, peak, len(content)))
            log(
                f"core list {count:>7} tickets: {seconds:7.2f} s, {queries:4d} "
                f"queries, Python peak {peak / 2**20:7.1f} MiB, "
                f"file {len(content) / 2**20:.1f} MiB"
            )
    by = {(kind, count): (s, q, p) for kind, count, s, q, p, _size in results}
    for (kind, count), (s, q, p) in sorted(by.items()):
        if kind == "core" and ("register", count) in by:
            rs, rq, rp = by[("register", count)]
            log(
                f"ratio register/core at {count} tickets: time {rs / s:.2f}, "
                f"queries {rq}/{q}, Python peak {rp / p:.2f}"
            )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log(f"process peak RSS {maxrss:.0f} MiB")
    env.cr.rollback()


main(env)  # noqa: F821 (provided by odoo shell)
