from datetime import datetime

from odoo import _, models

from .aftersales_ticket_sla import SLA_STOP_KINDS, TARGETS
from .aftersales_xlsx_helpers import write_notes
from .xlsx_writer import XlsxColumn

# The SLA statuses of tickets being worked on, as the ticket knows them.
OPEN_STATUSES = ("on_track", "at_risk", "breached", "paused")


class AftersalesXlsxSlaCompliance(models.AbstractModel):
    """On-time rates of the tickets received in the period, per team,
    technician, SLA policy and month, and the open tickets' SLA status now.

    Each sheet is a grouped read of the tickets and one of the SLA analysis
    (``aftersales.sla.report``), whose rows are the measured targets: the same
    figures as the SLA Compliance analysis, the ticket badges and the scorecards.
    """

    _name = "aftersales.xlsx.sla.compliance"
    _inherit = "aftersales.xlsx.report"
    _description = "SLA Compliance"
    _xlsx_sequence = 20

    def _sla_target_columns(self):
        labels = {
            "response": (
                _("Responses Measured"),
                _("Responses Met"),
                _("Response On-Time Rate"),
            ),
            "onsite": (
                _("On-Site Arrivals Measured"),
                _("On-Site Arrivals Met"),
                _("On-Site On-Time Rate"),
            ),
            "resolution": (
                _("Resolutions Measured"),
                _("Resolutions Met"),
                _("Resolution On-Time Rate"),
            ),
        }
        columns = [XlsxColumn("tickets", _("Tickets"), "int", total="sum")]
        for target in TARGETS:
            measured, met, rate = labels[target]
            columns += [
                XlsxColumn(
                    f"{target}_measured", measured, "int", width=12, total="sum"
                ),
                XlsxColumn(f"{target}_met", met, "int", width=12, total="sum"),
                XlsxColumn(
                    f"{target}_rate",
                    rate,
                    "percent",
                    width=12,
                    total=("ratio", f"{target}_met", f"{target}_measured"),
                ),
            ]
        return columns

    def _sla_tickets(self):
        # Months are cut in the reading user's time zone, as the period is.
        return self.env["aftersales.ticket"].with_context(tz=self.env.user.tz or "UTC")

    def _sla_groups(self, domain, groupby):
        """(group value, counts) per group of the tickets: one grouped read of
        the tickets and one of their measured targets."""
        Ticket = self._sla_tickets()
        rows = {
            group: {"tickets": count}
            for group, count in Ticket._read_group(domain, [groupby], ["__count"])
        }
        measured = self.env["aftersales.sla.report"].with_context(
            tz=Ticket.env.context["tz"]
        )
        for group, target, count, met in measured._read_group(
            [("ticket_id", "any", domain)],
            [groupby, "target"],
            ["__count", "met_count:sum"],
        ):
            row = rows.setdefault(group, {"tickets": 0})
            row[f"{target}_measured"] = count
            row[f"{target}_met"] = met
        for row in rows.values():
            for target in TARGETS:
                measured_count = row.setdefault(f"{target}_measured", 0)
                met = row.setdefault(f"{target}_met", 0)
                row[f"{target}_rate"] = met / measured_count if measured_count else None
        return list(rows.items())

    def _xlsx_write(self, book, options):
        domain = options._ticket_domain() + options._period_domain("date_received")
        sheets = [
            (
                _("By Team"),
                "team_id",
                XlsxColumn("group", _("Team"), width=24),
                _("No Team"),
            ),
            (
                _("By Technician"),
                "user_id",
                XlsxColumn("group", _("Technician"), width=24),
                _("Unassigned"),
            ),
            (
                _("By SLA Policy"),
                "sla_policy_id",
                XlsxColumn("group", _("SLA Policy"), width=28),
                _("No SLA Policy"),
            ),
            (
                _("By Month"),
                "date_received:month",
                XlsxColumn("group", _("Month"), "month"),
                None,
            ),
        ]
        target_columns = self._sla_target_columns()
        for sheet_name, groupby, key_column, empty_label in sheets:
            table = book.table(sheet_name, [key_column, *target_columns])
            for group, row in self._sla_groups(domain, groupby):
                if groupby == "date_received:month":
                    row["group"] = (
                        group.date() if isinstance(group, datetime) else group
                    )
                else:
                    row["group"] = group.display_name if group else empty_label
                table.add_row(row)
            table.close()
        self._write_open_status(book, options)
        write_notes(
            self.env,
            book,
            [
                (
                    _("Period"),
                    _(
                        "Tickets received in the period (date received, in the "
                        "time zone of the user who exports)."
                    ),
                ),
                (
                    _("Measured"),
                    _(
                        "A target (first response, arrival on site, resolution) is "
                        "measured once its result is decided: met by its deadline, "
                        "met late, or breached when the ticket was resolved or "
                        "cancelled without reaching it after its deadline. Targets "
                        "still open or not applicable (e.g. on site for a ticket "
                        "solved without a visit) are not counted."
                    ),
                ),
                (
                    _("On-Time Rate"),
                    _("Met divided by measured; the totals row divides the totals."),
                ),
                (
                    _("Open Tickets Now"),
                    _(
                        "The SLA status at the time of the export of the tickets "
                        "still being worked on (not resolved, closed or cancelled) "
                        "in the chosen scope, whatever their date received."
                    ),
                ),
            ],
        )

    def _write_open_status(self, book, options):
        """Open tickets of the scope by SLA status now, per team: one grouped
        read per status (the status is computed, searched by deadlines)."""
        labels = self._xlsx_labels("aftersales.ticket", "sla_status")
        columns = [
            XlsxColumn("group", _("Team"), width=24),
            *(
                XlsxColumn(status, labels[status], "int", width=12, total="sum")
                for status in OPEN_STATUSES
            ),
            XlsxColumn("open", _("Open under SLA"), "int", width=12, total="sum"),
        ]
        counts = {}
        Ticket = self._sla_tickets()
        base = options._ticket_domain() + [("stage_kind", "not in", SLA_STOP_KINDS)]
        for status in OPEN_STATUSES:
            for team, count in Ticket._read_group(
                base + [("sla_status", "=", status)], ["team_id"], ["__count"]
            ):
                counts.setdefault(team.id, dict.fromkeys(OPEN_STATUSES, 0))
                counts[team.id][status] = count
        teams = self.env["aftersales.team"].browse(key for key in counts if key)
        table = book.table(_("Open Tickets Now"), columns)
        for team in teams.sorted(lambda team: (team.sequence, team.name)):
            self._add_status_row(table, counts[team.id], team.display_name)
        if False in counts:
            self._add_status_row(table, counts[False], _("No Team"))
        table.close()

    def _add_status_row(self, table, counts, label):
        table.add_row({"group": label, "open": sum(counts.values()), **counts})
