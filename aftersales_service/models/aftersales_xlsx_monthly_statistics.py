from collections import defaultdict

from odoo import _, api, fields, models
from odoo.tools import SQL

from .aftersales_ticket import CHANNELS
from .xlsx_writer import XlsxColumn

SEVERITIES = ("high", "medium", "low")


class AftersalesXlsxMonthlyStatistics(models.AbstractModel):
    """Monthly service statistics (月度服务统计), one sheet per section.

    Rows are statistics months: a company whose cut-off day is the 25th counts
    the 26th of the previous month to the 25th as one month (named after the
    month it ends in); 31 or more gives calendar months. Datetimes are cut in
    the time zone of the context (the reader's, or the company's for the
    scheduled report). Each section is one grouped query over the records the
    reader may see (``_search(domain).subselect()``):

    - volumes and times: tickets received in the period (response and
      resolution hours from receipt, averaged over the tickets that have them);
    - first-time fix: tickets closed in the period, failed again
      (``has_repeat``) as on the technician scorecard; repeat failures
      (``is_repeat_failure``) among the tickets received;
    - satisfaction: surveys answered in the period;
    - complaints: complaints received in the period, by category and urgency;
    - paid-service revenue: posted customer invoice and credit note lines of
      the tickets' service quotations dated in the period, in company currency.
    """

    _name = "aftersales.xlsx.monthly.statistics"
    _inherit = "aftersales.xlsx.report"
    _description = "Monthly Service Statistics"
    _xlsx_sequence = 20

    # Periods and SQL helpers --------------------------------------------

    def _stat_month(self, column, company_alias, is_date=False):
        """SQL: first day of the statistics month of ``column`` (a UTC datetime
        or a date), for the cut-off day of the company ``company_alias``."""
        local = (
            SQL("%s::timestamp", column)
            if is_date
            else SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)", column, self._xlsx_tz())
        )
        return SQL(
            """(date_trunc('month', %(local)s)
                + CASE WHEN EXTRACT(DAY FROM %(local)s)
                            > %(company)s.aftersales_statistics_cutoff_day
                       THEN INTERVAL '1 month' ELSE INTERVAL '0 month' END)::date""",
            local=local,
            company=SQL.identifier(company_alias),
        )

    def _stat_query(self, sql):
        return self.env.execute_query_dict(sql)

    # Queries --------------------------------------------------------------

    def _stat_received(self, options):
        """Tickets received, per month, team, channel and type."""
        Ticket = self.env["aftersales.ticket"]
        tickets = Ticket._search(
            options._ticket_domain() + options._period_domain("date_received")
        )
        name = self._xlsx_translated
        return self._stat_query(
            SQL(
                """
                SELECT %(month)s AS month, t.team_id, %(team)s AS team,
                       t.channel, t.type_id, %(type)s AS type_name,
                       tt.sequence AS type_sequence,
                       COUNT(*) AS received,
                       COUNT(t.date_first_response) AS responded,
                       COALESCE(SUM(EXTRACT(EPOCH FROM
                           t.date_first_response - t.date_received)), 0) / 3600.0
                           AS response_hours,
                       COUNT(t.date_resolved) AS resolved,
                       COALESCE(SUM(EXTRACT(EPOCH FROM
                           t.date_resolved - t.date_received)), 0) / 3600.0
                           AS resolution_hours,
                       COUNT(*) FILTER (WHERE t.is_repeat_failure) AS repeat_failures
                  FROM aftersales_ticket t
                  JOIN res_company c ON c.id = t.company_id
             LEFT JOIN aftersales_team team ON team.id = t.team_id
             LEFT JOIN aftersales_ticket_type tt ON tt.id = t.type_id
                 WHERE t.id IN %(ids)s
              GROUP BY 1, 2, 3, 4, 5, 6, 7
                """,
                month=self._stat_month(SQL("t.date_received"), "c"),
                team=name(SQL("team.name")),
                type=name(SQL("tt.name")),
                ids=tickets.subselect(),
            )
        )

    def _stat_closed(self, options):
        """Tickets closed, and those of them that failed again, per month and team."""
        tickets = self.env["aftersales.ticket"]._search(
            options._ticket_domain()
            + [("stage_kind", "=", "closed")]
            + options._period_domain("date_closed")
        )
        return self._stat_query(
            SQL(
                """
                SELECT %(month)s AS month, t.team_id, %(team)s AS team,
                       COUNT(*) AS closed,
                       COUNT(*) FILTER (WHERE t.has_repeat) AS failed_again
                  FROM aftersales_ticket t
                  JOIN res_company c ON c.id = t.company_id
             LEFT JOIN aftersales_team team ON team.id = t.team_id
                 WHERE t.id IN %(ids)s
              GROUP BY 1, 2, 3
                """,
                month=self._stat_month(SQL("t.date_closed"), "c"),
                team=self._xlsx_translated(SQL("team.name")),
                ids=tickets.subselect(),
            )
        )

    def _stat_surveys(self, options):
        surveys = self.env["aftersales.survey"]._search(
            options._ticket_domain("ticket_id.")
            + [("state", "=", "answered")]
            + options._period_domain("date_answered")
        )
        return self._stat_query(
            SQL(
                """
                SELECT %(month)s AS month, s.team_id, %(team)s AS team,
                       COUNT(*) AS answered,
                       COUNT(*) FILTER (WHERE s.is_satisfied) AS satisfied,
                       COALESCE(SUM(s.score), 0) AS score_points,
                       COALESCE(SUM(s.rating_score), 0) AS rating_points
                  FROM aftersales_survey s
                  JOIN res_company c ON c.id = s.company_id
             LEFT JOIN aftersales_team team ON team.id = s.team_id
                 WHERE s.id IN %(ids)s
              GROUP BY 1, 2, 3
                """,
                month=self._stat_month(SQL("s.date_answered"), "c"),
                team=self._xlsx_translated(SQL("team.name")),
                ids=surveys.subselect(),
            )
        )

    def _stat_complaints(self, options):
        tickets = self.env["aftersales.ticket"]._search(
            options._ticket_domain()
            + [("is_complaint", "=", True)]
            + options._period_domain("date_received")
        )
        return self._stat_query(
            SQL(
                """
                SELECT %(month)s AS month, t.complaint_category_id AS category_id,
                       %(category)s AS category, cat.sequence AS category_sequence,
                       t.complaint_severity AS severity,
                       COUNT(*) AS complaints,
                       COALESCE(SUM(t.compensation_amount), 0) AS compensation
                  FROM aftersales_ticket t
                  JOIN res_company c ON c.id = t.company_id
             LEFT JOIN aftersales_complaint_category cat
                    ON cat.id = t.complaint_category_id
                 WHERE t.id IN %(ids)s
              GROUP BY 1, 2, 3, 4, 5
                """,
                month=self._stat_month(SQL("t.date_received"), "c"),
                category=self._xlsx_translated(SQL("cat.name")),
                ids=tickets.subselect(),
            )
        )

    def _stat_revenue(self, options):
        """Posted customer invoice lines of the tickets' service quotations."""
        tickets = self.env["aftersales.ticket"]._search(options._ticket_domain())
        lines = self.env["account.move.line"]._search(
            [
                ("company_id", "in", options.company_ids.ids),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "in", ("out_invoice", "out_refund")),
                ("display_type", "=", "product"),
            ]
            + options._period_domain("move_id.invoice_date", is_date=True)
        )
        return self._stat_query(
            SQL(
                """
                SELECT %(month)s AS month, t.team_id, %(team)s AS team,
                       COUNT(DISTINCT am.id) AS invoices,
                       COUNT(DISTINCT t.id) AS tickets,
                       -SUM(aml.balance) AS revenue
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN LATERAL (
                        SELECT so.aftersales_ticket_id
                          FROM sale_order_line_invoice_rel rel
                          JOIN sale_order_line sol ON sol.id = rel.order_line_id
                          JOIN sale_order so ON so.id = sol.order_id
                         WHERE rel.invoice_line_id = aml.id
                           AND so.aftersales_ticket_id IS NOT NULL
                         LIMIT 1
                       ) link ON TRUE
                  JOIN aftersales_ticket t ON t.id = link.aftersales_ticket_id
                  JOIN res_company c ON c.id = aml.company_id
             LEFT JOIN aftersales_team team ON team.id = t.team_id
                 WHERE aml.id IN %(lines)s
                   AND t.id IN %(tickets)s
              GROUP BY 1, 2, 3
                """,
                month=self._stat_month(SQL("am.invoice_date"), "c", is_date=True),
                team=self._xlsx_translated(SQL("team.name")),
                lines=lines.subselect(),
                tickets=tickets.subselect(),
            )
        )

    # Sheets ---------------------------------------------------------------

    def _stat_lead_columns(self, second="team"):
        columns = [XlsxColumn("month", _("Statistics Month"), "month", width=12)]
        if second == "team":
            columns.append(XlsxColumn("team", _("Team"), width=20))
        else:
            columns.append(XlsxColumn("category", _("Complaint Category"), width=22))
        return columns

    def _stat_by_team(self, rows, keys):
        """Sum ``keys`` of ``rows`` per (month, team), in month and team order."""
        merged = {}
        no_team = _("No Team")
        for row in rows:
            key = (row["month"], row["team_id"] or 0)
            target = merged.get(key)
            if target is None:
                target = merged[key] = defaultdict(float)
                target.update(month=row["month"], team=row["team"] or no_team)
            for name in keys:
                if name in row:
                    target[name] += row[name] or 0
        return [merged[key] for key in sorted(merged, key=lambda k: (k[0], k[1]))]

    def _sort_team_rows(self, rows):
        return sorted(rows, key=lambda row: (row["month"], row["team"]))

    def _write_channels(self, book, received):
        labels = dict(self._xlsx_labels("aftersales.ticket", "channel"))
        keys = [f"channel_{key}" for key, _label in CHANNELS]
        for row in received:
            row[f"channel_{row['channel']}"] = row["received"]
        columns = self._stat_lead_columns() + [
            XlsxColumn(f"channel_{key}", labels[key], "int", total="sum")
            for key, _label in CHANNELS
        ]
        columns.append(XlsxColumn("received", _("Total"), "int", total="sum"))
        table = book.table(_("By Channel"), columns, freeze_cols=2)
        for row in self._sort_team_rows(
            self._stat_by_team(received, keys + ["received"])
        ):
            table.add_row(row)
        table.close()

    def _write_types(self, book, received):
        types = {}
        for row in received:
            type_id = row["type_id"] or 0
            row[f"type_{type_id}"] = row["received"]
            types[type_id] = (
                (row["type_sequence"] or 0, row["type_name"] or "", type_id)
                if type_id
                else (1 << 30, "", 0)
            )
        ordered = sorted(types, key=types.get)
        columns = self._stat_lead_columns() + [
            XlsxColumn(
                f"type_{type_id}",
                types[type_id][1] if type_id else self.env._("No Type"),
                "int",
                width=12,
                total="sum",
            )
            for type_id in ordered
        ]
        columns.append(XlsxColumn("received", _("Total"), "int", total="sum"))
        table = book.table(_("By Ticket Type"), columns, freeze_cols=2)
        keys = [f"type_{type_id}" for type_id in ordered] + ["received"]
        for row in self._sort_team_rows(self._stat_by_team(received, keys)):
            table.add_row(row)
        table.close()

    def _write_times(self, book, received):
        columns = self._stat_lead_columns() + [
            XlsxColumn("received", _("Tickets Received"), "int", total="sum"),
            XlsxColumn("responded", _("Responded"), "int", total="sum"),
            XlsxColumn(
                "response_hours", _("Hours to Response (Sum)"), "hours", total="sum"
            ),
            XlsxColumn(
                "avg_response",
                _("Average Hours to First Response"),
                "hours",
                width=14,
                total=("ratio", "response_hours", "responded"),
            ),
            XlsxColumn("resolved", _("Tickets Resolved"), "int", total="sum"),
            XlsxColumn(
                "resolution_hours",
                _("Hours to Resolution (Sum)"),
                "hours",
                total="sum",
            ),
            XlsxColumn(
                "avg_resolution",
                _("Average Hours to Resolution"),
                "hours",
                width=14,
                total=("ratio", "resolution_hours", "resolved"),
            ),
        ]
        table = book.table(_("Response Times"), columns, freeze_cols=2)
        keys = ("received", "responded", "response_hours", "resolved")
        for row in self._sort_team_rows(
            self._stat_by_team(received, (*keys, "resolution_hours"))
        ):
            row["avg_response"] = (
                row["response_hours"] / row["responded"] if row["responded"] else None
            )
            row["avg_resolution"] = (
                row["resolution_hours"] / row["resolved"] if row["resolved"] else None
            )
            table.add_row(row)
        table.close()

    def _write_first_time_fix(self, book, received, closed):
        columns = self._stat_lead_columns() + [
            XlsxColumn("closed", _("Jobs Closed"), "int", total="sum"),
            XlsxColumn("failed_again", _("Failed Again"), "int", total="sum"),
            XlsxColumn("first_time_fixes", _("First-time Fixes"), "int", total="sum"),
            XlsxColumn(
                "first_time_fix_rate",
                _("First-time Fix Rate"),
                "percent",
                total=("ratio", "first_time_fixes", "closed"),
            ),
            XlsxColumn(
                "repeat_rate",
                _("Repeat Repair Rate"),
                "percent",
                total=("ratio", "failed_again", "closed"),
            ),
            XlsxColumn("received", _("Tickets Received"), "int", total="sum"),
            XlsxColumn("repeat_failures", _("Repeat Failures"), "int", total="sum"),
            XlsxColumn(
                "repeat_share",
                _("Repeat Failures Among Received"),
                "percent",
                width=14,
                total=("ratio", "repeat_failures", "received"),
            ),
        ]
        table = book.table(_("First-time Fix"), columns, freeze_cols=2)
        keys = ("closed", "failed_again", "received", "repeat_failures")
        for row in self._sort_team_rows(self._stat_by_team(received + closed, keys)):
            closed_count = row["closed"]
            row["first_time_fixes"] = closed_count - row["failed_again"]
            if closed_count:
                row["first_time_fix_rate"] = row["first_time_fixes"] / closed_count
                row["repeat_rate"] = row["failed_again"] / closed_count
            if row["received"]:
                row["repeat_share"] = row["repeat_failures"] / row["received"]
            table.add_row(row)
        table.close()

    def _write_satisfaction(self, book, surveys):
        columns = self._stat_lead_columns() + [
            XlsxColumn("answered", _("Surveys Answered"), "int", total="sum"),
            XlsxColumn("satisfied", _("Satisfied Answers"), "int", total="sum"),
            XlsxColumn(
                "satisfaction_rate",
                _("Satisfaction Rate"),
                "percent",
                total=("ratio", "satisfied", "answered"),
            ),
            XlsxColumn("score_points", _("Score (Sum)"), "float", total="sum"),
            XlsxColumn(
                "avg_score",
                _("Average Score"),
                "float",
                total=("ratio", "score_points", "answered"),
            ),
            XlsxColumn(
                "rating_points", _("Overall Rating (Sum)"), "float", total="sum"
            ),
            XlsxColumn(
                "avg_rating",
                _("Average Overall Rating"),
                "float",
                total=("ratio", "rating_points", "answered"),
            ),
        ]
        table = book.table(_("Satisfaction"), columns, freeze_cols=2)
        keys = ("answered", "satisfied", "score_points", "rating_points")
        for row in self._sort_team_rows(self._stat_by_team(surveys, keys)):
            answered = row["answered"]
            row["satisfaction_rate"] = row["satisfied"] / answered
            row["avg_score"] = row["score_points"] / answered
            row["avg_rating"] = row["rating_points"] / answered
            table.add_row(row)
        table.close()

    def _write_complaints(self, book, complaints):
        labels = dict(self._xlsx_labels("aftersales.ticket", "complaint_severity"))
        columns = self._stat_lead_columns("category") + [
            XlsxColumn(
                f"severity_{key}",
                self.env._("Urgency: %(level)s", level=labels[key]),
                "int",
                width=12,
                total="sum",
            )
            for key in SEVERITIES
        ]
        columns += [
            XlsxColumn("severity_none", _("Urgency Not Set"), "int", total="sum"),
            XlsxColumn("complaints", _("Complaints"), "int", total="sum"),
            XlsxColumn("compensation", _("Compensation"), "money", total="sum"),
        ]
        merged = {}
        for row in complaints:
            key = (
                row["month"],
                row["category_sequence"] if row["category_id"] else 1 << 30,
                row["category"] or "",
                row["category_id"] or 0,
            )
            target = merged.get(key)
            if target is None:
                target = merged[key] = defaultdict(float)
                target.update(
                    month=row["month"],
                    category=row["category"] or _("No Category"),
                )
            target[f"severity_{row['severity'] or 'none'}"] += row["complaints"]
            target["complaints"] += row["complaints"]
            target["compensation"] += row["compensation"]
        table = book.table(_("Complaints"), columns, freeze_cols=2)
        for key in sorted(merged):
            table.add_row(merged[key])
        table.close()

    def _write_revenue(self, book, revenue):
        columns = self._stat_lead_columns() + [
            XlsxColumn("invoices", _("Invoices"), "int", total="sum"),
            XlsxColumn("tickets", _("Tickets"), "int", total="sum"),
            XlsxColumn("revenue", _("Paid-service Revenue"), "money", total="sum"),
        ]
        table = book.table(_("Paid-service Revenue"), columns, freeze_cols=2)
        keys = ("invoices", "tickets", "revenue")
        for row in self._sort_team_rows(self._stat_by_team(revenue, keys)):
            table.add_row(row)
        table.close()

    def _xlsx_write(self, book, options):
        # The queries read columns their domains do not name.
        self.env.flush_all()
        received = self._stat_received(options)
        closed = self._stat_closed(options)
        self._write_channels(book, received)
        self._write_types(book, received)
        self._write_times(book, received)
        self._write_first_time_fix(book, received, closed)
        self._write_satisfaction(book, self._stat_surveys(options))
        self._write_complaints(book, self._stat_complaints(options))
        if self.env["account.move"].has_access("read"):
            self._write_revenue(book, self._stat_revenue(options))

    # Print menu ----------------------------------------------------------

    @api.model
    def _xlsx_action_for(self, tickets=None):
        """The export wizard on the last closed statistics month of the company."""
        company = self.env.company
        start, end = company._aftersales_statistics_last_closed(
            fields.Date.context_today(self)
        )
        return self.env["aftersales.xlsx.export"].action_open_for(
            self._name,
            date_from=fields.Date.to_string(start),
            date_to=fields.Date.to_string(end),
        )
