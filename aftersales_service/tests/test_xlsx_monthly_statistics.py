import base64
from collections import defaultdict
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import Form, tagged

from .feedback_common import FeedbackCommon
from .xlsx_reader import cached_values, load_workbook, read_table

STATS = "aftersales.xlsx.monthly.statistics"
NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


@tagged("post_install", "-at_install")
class TestXlsxMonthlyStatistics(FeedbackCommon):
    """Statistics months from the 26th to the 25th, in Shanghai time: each
    ticket below is put by hand in the statistics month it must count in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager.write(
            {
                "tz": "Asia/Shanghai",
                "groups_id": [
                    Command.link(cls.env.ref("account.group_account_invoice").id)
                ],
            }
        )
        cls.technician.tz = "Asia/Shanghai"
        cls.complaint_type = cls.env.ref("aftersales_service.ticket_type_complaint")
        cls.category = cls.env["aftersales.complaint.category"].create(
            {"name": "Late Delivery"}
        )
        # Invoiced as ordered: the quotation is invoiced once confirmed.
        cls.plain_product.invoice_policy = "order"

    def _ticket(self, when, **values):
        values.setdefault("partner_id", self.customer.id)
        with freeze_time(when):
            return self._new_ticket(**values)

    def _work(self, ticket, respond=None, resolve=None, close=None):
        if respond:
            with freeze_time(respond):
                ticket.user_id = self.technician
                ticket.action_start()
        if resolve:
            with freeze_time(resolve):
                ticket.action_resolve()
        if close:
            with freeze_time(close):
                self._close(ticket)
        return ticket

    def _invoice(self, ticket, amount, day):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "aftersales_ticket_id": ticket.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.plain_product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.invoice_date = day
        invoice.action_post()
        return invoice

    def _build(self):
        """Tickets with the statistics month (and team) they must count in."""
        t1 = self._ticket(
            "2026-11-02 08:00:00",
            channel="phone",
            product_id=self.serial_product.id,
            lot_id=self.serial_1.id,
        )
        self._work(
            t1, "2026-11-02 10:00:00", "2026-11-03 08:00:00", "2026-11-03 09:00:00"
        )
        # The same serial again: t1 failed again, t2 is a repeat failure.
        t2 = self._ticket(
            "2026-11-06 08:00:00",
            channel="email",
            product_id=self.serial_product.id,
            lot_id=self.serial_1.id,
        )
        self._work(t2, "2026-11-06 12:00:00")
        t3 = self._ticket(
            "2026-11-20 00:00:00", channel="portal", team_id=self.other_team.id
        )
        # Closed at 10:00 on 26 November in Shanghai: the December month.
        self._work(
            t3, "2026-11-20 06:00:00", "2026-11-21 00:00:00", "2026-11-26 02:00:00"
        )
        # 01:00 on 26 November in Shanghai: December, though still the 25th in UTC.
        t4 = self._ticket(
            "2026-11-25 17:00:00", channel="phone", team_id=self.other_team.id
        )
        c1 = self._ticket(
            "2026-11-12 08:00:00",
            type_id=self.complaint_type.id,
            complaint_category_id=self.category.id,
            complaint_severity="high",
            compensation_amount=300.0,
        )
        c2 = self._ticket(
            "2026-12-01 08:00:00",
            type_id=self.complaint_type.id,
            complaint_category_id=self.category.id,
            complaint_severity="low",
        )
        c3 = self._ticket("2026-12-02 08:00:00", type_id=self.complaint_type.id)
        # Outside: before the period (25 October is in the October month),
        # and another company's.
        self._ticket("2026-10-25 08:00:00", channel="phone")
        self._ticket(
            "2026-11-10 08:00:00",
            team_id=self.team_company_2.id,
            company_id=self.company_2.id,
            partner_id=self.other_customer.id,
        )
        with freeze_time("2026-11-10 08:00:00"):
            t1.survey_ids._submit_answer(self._answer("very_satisfied", "5"), "call")
        with freeze_time("2026-11-27 08:00:00"):
            t3.survey_ids._submit_answer(self._answer("dissatisfied", "1"), "call")
        # t1 is in warranty (its quotation may be free), t3 is not.
        self.invoices = {
            (NOV, self.team.name): self._invoice(t1, 160.0, date(2026, 11, 15)),
            (DEC, self.other_team.name): self._invoice(t3, 80.0, date(2026, 12, 25)),
        }
        self._invoice(t3, 55.0, date(2026, 12, 26))  # after the period
        received = {
            (NOV, self.team): t1 | t2 | c1,
            (NOV, self.other_team): t3,
            (DEC, self.other_team): t4,
            (DEC, self.team): c2 | c3,
        }
        closed = {(NOV, self.team): t1, (DEC, self.other_team): t3}
        return received, closed

    def _export(
        self, user, date_from=date(2026, 10, 26), date_to=date(2026, 12, 25), teams=None
    ):
        wizard = Form(self.env["aftersales.xlsx.export"].with_user(user))
        wizard.report = STATS
        wizard.date_from = date_from
        wizard.date_to = date_to
        for team in teams or ():
            wizard.team_ids.add(team)
        record = wizard.save()
        record.action_export()
        return base64.b64decode(record.with_context(bin_size=False).file_data)

    @staticmethod
    def _hours(start, end):
        return (end - start).total_seconds() / 3600.0

    @staticmethod
    def _rows_by_key(rows, second="Team"):
        return {(row["Statistics Month"].date(), row[second]): row for row in rows}

    def test_sections_by_statistics_month(self):
        received, closed = self._build()
        # The teams of the test: a database may hold others (demo data).
        content = self._export(self.manager, teams=self.team | self.other_team)
        book = load_workbook(content)
        self.assertEqual(
            book.sheetnames,
            [
                "By Channel",
                "By Ticket Type",
                "Response Times",
                "First-time Fix",
                "Satisfaction",
                "Complaints",
                "Paid-service Revenue",
                "Parameters",
            ],
        )
        expected_keys = {(month, team.name) for month, team in received}

        # Volumes by channel.
        headers, rows, totals = read_table(book["By Channel"])
        self.assertEqual(
            headers,
            [
                "Statistics Month",
                "Team",
                "Phone",
                "E-mail",
                "Portal",
                "Walk-in",
                "On-site",
                "Letter / Fax",
                "Other",
                "Total",
            ],
        )
        by_key = self._rows_by_key(rows)
        self.assertEqual(set(by_key), expected_keys)
        labels = dict(self.env["aftersales.ticket"]._fields["channel"].selection)
        for (month, team), tickets in received.items():
            row = by_key[(month, team.name)]
            counts = defaultdict(int)
            for ticket in tickets:
                counts[labels[ticket.channel]] += 1
            for label in labels.values():
                self.assertEqual(row[label] or 0, counts[label], (month, team, label))
            self.assertEqual(row["Total"], len(tickets))
        self.assertEqual(by_key[(NOV, self.team.name)]["Phone"], 2)
        self.assertEqual(totals["Total"], "=SUBTOTAL(109,J2:J5)")
        cached = dict(
            zip(headers, cached_values(content, "By Channel")[5], strict=True)
        )
        self.assertEqual(cached["Total"], 7)
        self.assertEqual(cached["Phone"], 5)
        # Months as dates shown year-month, sorted.
        self.assertEqual(book["By Channel"]["A2"].number_format, "yyyy-mm")
        self.assertEqual([row["Statistics Month"].date() for row in rows][0], NOV)

        # Volumes by ticket type: one column per type met.
        headers, rows, totals = read_table(book["By Ticket Type"])
        by_key = self._rows_by_key(rows)
        all_tickets = self.env["aftersales.ticket"].union(*received.values())
        type_names = {t.type_id.name or "No Type" for t in all_tickets}
        self.assertEqual(set(headers[2:-1]), type_names)
        for (month, team), tickets in received.items():
            row = by_key[(month, team.name)]
            for name in type_names:
                expected = len(
                    tickets.filtered(
                        lambda t, n=name: (t.type_id.name or "No Type") == n
                    )
                )
                self.assertEqual(row[name] or 0, expected, (month, team.name, name))
        self.assertEqual(by_key[(DEC, self.team.name)][self.complaint_type.name], 2)

        # Response and resolution times, from receipt.
        headers, rows, totals = read_table(book["Response Times"])
        by_key = self._rows_by_key(rows)
        for (month, team), tickets in received.items():
            row = by_key[(month, team.name)]
            responded = tickets.filtered("date_first_response")
            resolved = tickets.filtered("date_resolved")
            self.assertEqual(row["Tickets Received"], len(tickets))
            self.assertEqual(row["Responded"] or 0, len(responded))
            self.assertEqual(row["Tickets Resolved"] or 0, len(resolved))
            response = sum(
                self._hours(t.date_received, t.date_first_response) for t in responded
            )
            resolution = sum(
                self._hours(t.date_received, t.date_resolved) for t in resolved
            )
            if responded:
                self.assertAlmostEqual(
                    row["Average Hours to First Response"], response / len(responded)
                )
            else:
                self.assertIsNone(row["Average Hours to First Response"])
            if resolved:
                self.assertAlmostEqual(
                    row["Average Hours to Resolution"], resolution / len(resolved)
                )
        # t1 answered after 2 h, t2 after 4 h; t1 resolved after 24 h.
        nov = by_key[(NOV, self.team.name)]
        self.assertAlmostEqual(nov["Average Hours to First Response"], 3.0)
        self.assertAlmostEqual(nov["Average Hours to Resolution"], 24.0)
        self.assertEqual(
            totals["Average Hours to First Response"],
            '=IF(SUBTOTAL(109,D2:D5)=0,"",SUBTOTAL(109,E2:E5)/SUBTOTAL(109,D2:D5))',
        )
        cached = dict(
            zip(headers, cached_values(content, "Response Times")[5], strict=True)
        )
        # 2 + 4 + 6 hours over three responses; 24 + 24 over two resolutions.
        self.assertAlmostEqual(cached["Average Hours to First Response"], 4.0)
        self.assertAlmostEqual(cached["Average Hours to Resolution"], 24.0)

        # First-time fix: closed jobs and those that failed again.
        headers, rows, totals = read_table(book["First-time Fix"])
        by_key = self._rows_by_key(rows)
        self.assertEqual(set(by_key), expected_keys)
        for (month, team), tickets in closed.items():
            row = by_key[(month, team.name)]
            failed = tickets.filtered("has_repeat")
            self.assertEqual(row["Jobs Closed"], len(tickets))
            self.assertEqual(row["Failed Again"] or 0, len(failed))
            self.assertAlmostEqual(
                row["First-time Fix Rate"], (len(tickets) - len(failed)) / len(tickets)
            )
        for (month, team), tickets in received.items():
            row = by_key[(month, team.name)]
            repeats = tickets.filtered("is_repeat_failure")
            self.assertEqual(row["Repeat Failures"] or 0, len(repeats))
        nov = by_key[(NOV, self.team.name)]
        self.assertEqual((nov["Jobs Closed"], nov["Failed Again"]), (1, 1))
        self.assertEqual(nov["Repeat Failures"], 1)
        self.assertAlmostEqual(nov["Repeat Repair Rate"], 1.0)
        self.assertIsNone(by_key[(DEC, self.team.name)]["First-time Fix Rate"])
        cached = dict(
            zip(headers, cached_values(content, "First-time Fix")[5], strict=True)
        )
        self.assertAlmostEqual(cached["First-time Fix Rate"], 0.5)
        self.assertAlmostEqual(cached["Repeat Failures Among Received"], 1 / 7)

        # Satisfaction: surveys answered in the month.
        headers, rows, totals = read_table(book["Satisfaction"])
        by_key = self._rows_by_key(rows)
        surveys = {
            (NOV, self.team.name): closed[(NOV, self.team)].survey_ids,
            (DEC, self.other_team.name): closed[(DEC, self.other_team)].survey_ids,
        }
        self.assertEqual(set(by_key), set(surveys))
        for key, answered in surveys.items():
            row = by_key[key]
            self.assertEqual(row["Surveys Answered"], len(answered))
            self.assertEqual(
                row["Satisfied Answers"] or 0, len(answered.filtered("is_satisfied"))
            )
            self.assertAlmostEqual(
                row["Average Score"], sum(answered.mapped("score")) / len(answered)
            )
            self.assertAlmostEqual(
                row["Average Overall Rating"],
                sum(answered.mapped("rating_score")) / len(answered),
            )
        cached = dict(
            zip(headers, cached_values(content, "Satisfaction")[3], strict=True)
        )
        self.assertAlmostEqual(cached["Satisfaction Rate"], 0.5)
        self.assertAlmostEqual(cached["Average Overall Rating"], 50.0)  # (100 + 0) / 2

        # Complaints: category × urgency.
        headers, rows, totals = read_table(book["Complaints"])
        self.assertEqual(
            headers,
            [
                "Statistics Month",
                "Complaint Category",
                "Urgency: High",
                "Urgency: Medium",
                "Urgency: Low",
                "Urgency Not Set",
                "Complaints",
                "Compensation",
            ],
        )
        by_key = self._rows_by_key(rows, "Complaint Category")
        self.assertEqual(
            {key: row["Complaints"] for key, row in by_key.items()},
            {
                (NOV, "Late Delivery"): 1,
                (DEC, "Late Delivery"): 1,
                (DEC, "No Category"): 1,
            },
        )
        self.assertEqual(by_key[(NOV, "Late Delivery")]["Urgency: High"], 1)
        self.assertEqual(by_key[(NOV, "Late Delivery")]["Compensation"], 300.0)
        self.assertEqual(by_key[(DEC, "Late Delivery")]["Urgency: Low"], 1)
        self.assertEqual(by_key[(DEC, "No Category")]["Urgency Not Set"], 1)
        self.assertEqual(totals["Complaints"], "=SUBTOTAL(109,G2:G4)")

        # Paid-service revenue: posted invoice lines dated in the period.
        headers, rows, totals = read_table(book["Paid-service Revenue"])
        by_key = self._rows_by_key(rows)
        self.assertEqual(set(by_key), set(self.invoices))
        total = 0.0
        for key, invoice in self.invoices.items():
            income = invoice.line_ids.filtered(
                lambda line: line.display_type == "product"
            )
            amount = -sum(income.mapped("balance"))
            total += amount
            self.assertEqual(by_key[key]["Invoices"], 1)
            self.assertAlmostEqual(by_key[key]["Paid-service Revenue"] or 0.0, amount)
        self.assertAlmostEqual(
            by_key[(DEC, self.other_team.name)]["Paid-service Revenue"], 80.0
        )
        cached = dict(
            zip(headers, cached_values(content, "Paid-service Revenue")[3], strict=True)
        )
        self.assertAlmostEqual(cached["Paid-service Revenue"], total)
        self.assertEqual(cached["Invoices"], 2)

    def test_calendar_months_when_cut_off_is_31(self):
        received, _closed = self._build()
        self.company.aftersales_statistics_cutoff_day = 31
        content = self._export(
            self.manager,
            date(2026, 11, 1),
            date(2026, 11, 30),
            teams=self.team | self.other_team,
        )
        _headers, rows, _totals = read_table(load_workbook(content)["By Channel"])
        by_key = self._rows_by_key(rows)
        # Every ticket received in November (Shanghai time) counts in November,
        # including t4 (26 November 01:00).
        self.assertEqual(
            set(by_key), {(NOV, self.team.name), (NOV, self.other_team.name)}
        )
        self.assertEqual(by_key[(NOV, self.other_team.name)]["Total"], 2)
        self.assertEqual(by_key[(NOV, self.team.name)]["Total"], 3)

    def test_technician_exports_only_their_teams(self):
        self._build()
        content = self._export(self.technician)
        book = load_workbook(content)
        # No access to invoices: no revenue sheet.
        self.assertNotIn("Paid-service Revenue", book.sheetnames)
        _headers, rows, _totals = read_table(book["By Channel"])
        # Their team's tickets and the other team's ticket they work on (t3),
        # not the other team's ticket t4.
        self.assertEqual(
            {key: row["Total"] for key, row in self._rows_by_key(rows).items()},
            {
                (NOV, self.team.name): 3,
                (NOV, self.other_team.name): 1,
                (DEC, self.team.name): 2,
            },
        )

    def test_print_menu_opens_the_last_closed_month(self):
        tickets = self._ticket("2026-11-02 08:00:00")
        action = self.env.ref(
            "aftersales_service.aftersales_ticket_action_print_monthly_statistics"
        )
        with freeze_time("2026-12-03 08:00:00"):
            result = (
                action.with_user(self.manager)
                .with_context(
                    active_model="aftersales.ticket",
                    active_ids=tickets.ids,
                    active_id=tickets.id,
                )
                .run()
            )
        self.assertEqual(result["context"]["default_report"], STATS)
        self.assertEqual(result["context"]["default_date_from"], "2026-10-26")
        self.assertEqual(result["context"]["default_date_to"], "2026-11-25")

    def test_query_count_does_not_grow_with_tickets(self):
        self._build()
        wizard = (
            self.env["aftersales.xlsx.export"]
            .with_user(self.manager)
            .create(
                {
                    "report": STATS,
                    "date_from": date(2026, 10, 26),
                    "date_to": date(2026, 12, 25),
                    "team_ids": [Command.set((self.team | self.other_team).ids)],
                }
            )
        )

        def measure():
            # The first fresh read after new records may refill caches the
            # ORM cleared (rules, labels): count the second one.
            self.env.flush_all()
            for _attempt in range(2):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                content = wizard._render()[1]
                count = self.env.cr.sql_log_count - before
            return count, content

        few, content = measure()
        channels = ["phone", "email", "portal", "walk_in", "onsite"]
        types = self.env["aftersales.ticket.type"].search([])
        with freeze_time(datetime(2026, 11, 15, 3, 0)):
            more = self.env["aftersales.ticket"].create(
                [
                    {
                        "subject": f"Job {index}",
                        "partner_id": self.customer.id,
                        "team_id": (self.team, self.other_team)[index % 2].id,
                        "channel": channels[index % 5],
                        "type_id": types[index % len(types)].id,
                    }
                    for index in range(60)
                ]
            )
            more[:20].write({"user_id": self.technician.id})
            more[:20].action_start()
            more[:10].action_resolve()
        many, content = measure()
        _headers, rows, _totals = read_table(load_workbook(content)["By Channel"])
        received = self.env["aftersales.ticket"].search_count(
            [
                ("company_id", "=", self.company.id),
                ("team_id", "in", (self.team | self.other_team).ids),
                ("date_received", ">=", datetime(2026, 10, 25, 16, 0)),
                ("date_received", "<", datetime(2026, 12, 25, 16, 0)),
            ]
        )
        self.assertGreaterEqual(received, 67)
        self.assertEqual(sum(row["Total"] for row in rows), received)
        self.assertEqual(many, few)
