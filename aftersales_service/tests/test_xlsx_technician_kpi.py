import base64
from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged

from .feedback_common import FeedbackCommon
from .field_service_common import FieldServiceCommon
from .xlsx_reader import cached_values, load_workbook, read_table

KPI = "aftersales.xlsx.technician.kpi"
CATEGORIES = ("paid", "contract", "warranty", "internal")


@tagged("post_install", "-at_install")
class TestXlsxTechnicianKpi(FieldServiceCommon, FeedbackCommon):
    """The scorecards of two technicians over two months, read back from the
    workbook and compared with the stored scorecards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Card = cls.env["aftersales.technician.evaluation"]
        cls.company.aftersales_quote_acceptance_required = False

    def _job(self, technician, when, answer=None, sla=None):
        """A ticket of ``technician`` closed at ``when``, optionally surveyed."""
        with freeze_time(when):
            ticket = self._new_ticket(partner_id=self.customer.id)
            ticket.user_id = technician
            ticket.action_start()
            ticket.action_resolve()
            self._close(ticket)
            if answer:
                ticket.survey_ids._submit_answer(self._answer(*answer), "call")
        if sla:
            # SLA results come from the SLA engine, tested with it.
            ticket.sudo().sla_resolution_result = sla
        return ticket

    def _done_visit(self, ticket, hours):
        visit = self._visit(ticket)
        visit.action_arrive()
        visit.date_departure = visit.date_arrival + timedelta(hours=hours)
        self._sign(visit)
        visit.action_complete()
        return visit

    def _build(self):
        self._job(self.technician, "2026-10-12 08:00:00", ("satisfied", "5"), "met")
        self._job(self.technician, "2026-10-14 08:00:00", sla="late")
        self._job(
            self.technician, "2026-11-03 08:00:00", ("very_satisfied", "5"), "met"
        )
        self._job(self.technician, "2026-11-04 08:00:00", ("dissatisfied", "1"), "met")
        self._job(self.technician, "2026-11-05 08:00:00")
        self._job(
            self.other_technician, "2026-11-06 08:00:00", ("average", "3"), "late"
        )
        with freeze_time("2026-11-10 08:00:00"):
            self._done_visit(self._warranty_ticket(), 2.0)
            self._done_visit(self._paid_ticket(), 1.5)
        with freeze_time("2026-11-12 08:00:00"):
            self._new_ticket(
                partner_id=self.customer.id,
                type_id=self.env.ref("aftersales_service.ticket_type_complaint").id,
                complaint_user_id=self.technician.id,
            )
        users = self.technician | self.other_technician
        cards = self.Card
        for month in (date(2026, 10, 1), date(2026, 11, 1)):
            cards |= self.Card._generate(month, self.company, users)
        self.assertEqual(len(cards), 4)
        return cards

    def _export(self, user, date_from="2026-10-01", date_to="2026-11-30", **values):
        wizard = Form(self.env["aftersales.xlsx.export"].with_user(user))
        wizard.report = KPI
        wizard.date_from = date.fromisoformat(date_from)
        wizard.date_to = date.fromisoformat(date_to)
        record = wizard.save()
        if values:
            record.write(values)
        record.action_export()
        return base64.b64decode(record.with_context(bin_size=False).file_data)

    @staticmethod
    def _expected_row(card):
        hours = {line.service_category: line.hours for line in card.hours_ids}
        row = {
            "Technician": card.user_id.name,
            "Month": card.date_from,
            "Jobs Closed": card.jobs_closed,
            "Jobs with SLA": card.sla_measured,
            "Jobs on Time": card.sla_met,
            "On-time Rate": card.on_time_rate / 100,
            "Repeat Repairs": card.repeat_repairs,
            "First-time Fixes": card.jobs_closed - card.repeat_repairs,
            "First-time Fix Rate": card.first_time_fix_rate / 100,
            "Surveys Answered": card.survey_count,
            "Satisfied Answers": card.satisfied_count,
            "Satisfaction Rate": card.satisfaction_rate / 100,
            "Overall Rating": card.avg_rating,
            "Service Attitude": card.avg_attitude,
            "Technical Skill": card.avg_skill,
            "Timeliness": card.avg_timeliness,
            "Promise Kept": card.avg_promise,
            "Complaints": card.complaint_count,
            "Complaint Rate": card.complaint_rate / 100,
            "Follow-ups Done": card.followups_done,
            "Paid-service Revenue": card.paid_revenue,
            "Rewards": card.reward_total,
            "Penalties": card.penalty_total,
            "Hours: Paid": hours.get("paid", 0.0),
            "Hours: Contract": hours.get("contract", 0.0),
            "Hours: Warranty (Free)": hours.get("warranty", 0.0),
            "Hours: Internal": hours.get("internal", 0.0),
            "Labour Hours": sum(hours.values()),
            "Weighted Score": card.score,
            "Grade": dict(card._fields["grade"].selection).get(card.grade),
            "Status": dict(card._fields["state"].selection)[card.state],
        }
        # Without data a figure is an empty cell, not 0 (nor 100 %).
        no_data = {
            "sla_measured": ("On-time Rate",),
            "jobs_closed": ("First-time Fix Rate", "Complaint Rate"),
            "survey_count": (
                "Satisfaction Rate",
                "Overall Rating",
                "Service Attitude",
                "Technical Skill",
                "Timeliness",
                "Promise Kept",
            ),
            "grade": ("Weighted Score",),
        }
        for base, labels in no_data.items():
            if not card[base]:
                row.update(dict.fromkeys(labels))
        return row

    def _assert_row(self, actual, expected):
        for key, value in expected.items():
            if isinstance(value, float):
                self.assertIsNotNone(actual[key], key)
                self.assertAlmostEqual(actual[key], value, places=6, msg=key)
            elif key == "Month":
                self.assertEqual(actual[key].date(), value, key)
            else:
                self.assertEqual(actual[key], value, key)

    def test_monthly_rows_summary_and_totals(self):
        cards = self._build()
        mine = cards.filtered(lambda c: c.user_id == self.technician)
        nov = mine.filtered(lambda c: c.date_from == date(2026, 11, 1))
        # The data set is not empty where it matters.
        self.assertEqual(nov.jobs_closed, 3)
        self.assertEqual(nov.survey_count, 2)
        self.assertEqual(nov.complaint_count, 1)
        self.assertEqual(
            {line.service_category: line.hours for line in nov.hours_ids},
            {"warranty": 2.0, "paid": 1.5},
        )
        content = self._export(self.manager)
        book = load_workbook(content)
        self.assertEqual(book.sheetnames, ["Summary", "By Month", "Parameters"])

        headers, rows, totals = read_table(book["By Month"])
        self.assertEqual(headers[:2], ["Technician", "Month"])
        self.assertEqual(len(headers), 31)
        ordered = cards.sorted(lambda c: (c.user_id.name, c.date_from))
        self.assertEqual(len(rows), 4)
        for row, card in zip(rows, ordered, strict=True):
            self._assert_row(row, self._expected_row(card))
        # Formats: rates as percentages, months as dates, money with decimals.
        sheet = book["By Month"]
        self.assertEqual(sheet["B2"].number_format, "yyyy-mm")
        self.assertEqual(sheet["F2"].number_format, "0.0%")
        self.assertEqual(sheet["U2"].number_format, "#,##0.00")

        # Totals: formulas over the four rows, cached with the computed values.
        self.assertEqual(totals["Technician"], "Total")
        self.assertEqual(totals["Jobs Closed"], "=SUBTOTAL(109,C2:C5)")
        self.assertEqual(
            totals["On-time Rate"],
            '=IF(SUBTOTAL(109,D2:D5)=0,"",SUBTOTAL(109,E2:E5)/SUBTOTAL(109,D2:D5))',
        )
        cached = cached_values(content, "By Month")[5]
        cached = dict(zip(headers, cached, strict=True))
        jobs = sum(cards.mapped("jobs_closed"))
        self.assertEqual(cached["Jobs Closed"], jobs)
        self.assertAlmostEqual(
            cached["On-time Rate"],
            sum(cards.mapped("sla_met")) / sum(cards.mapped("sla_measured")),
        )
        self.assertAlmostEqual(
            cached["First-time Fix Rate"],
            (jobs - sum(cards.mapped("repeat_repairs"))) / jobs,
        )
        self.assertAlmostEqual(
            cached["Satisfaction Rate"],
            sum(cards.mapped("satisfied_count")) / sum(cards.mapped("survey_count")),
        )
        self.assertAlmostEqual(cached["Labour Hours"], 3.5)
        # The average of the scored months: a month without data has no score.
        graded = cards.filtered("grade")
        self.assertEqual(len(graded), 3)
        self.assertAlmostEqual(
            cached["Weighted Score"], sum(graded.mapped("score")) / len(graded)
        )

        headers, rows, totals = read_table(book["Summary"])
        self.assertEqual(len(rows), 2)
        by_name = {row["Technician"]: row for row in rows}
        for user in self.technician | self.other_technician:
            own = cards.filtered(lambda c, u=user: c.user_id == u)
            row = by_name[user.name]
            jobs = sum(own.mapped("jobs_closed"))
            surveys = sum(own.mapped("survey_count"))
            measured = sum(own.mapped("sla_measured"))
            self.assertEqual(row["Months Counted"], 2)
            self.assertEqual(row["Jobs Closed"], jobs)
            self.assertAlmostEqual(
                row["On-time Rate"], sum(own.mapped("sla_met")) / measured
            )
            self.assertAlmostEqual(
                row["Complaint Rate"], sum(own.mapped("complaint_count")) / jobs
            )
            self.assertAlmostEqual(
                row["Satisfaction Rate"], sum(own.mapped("satisfied_count")) / surveys
            )
            self.assertAlmostEqual(
                row["Overall Rating"],
                sum(c.avg_rating * c.survey_count for c in own) / surveys,
            )
            graded = own.filtered("grade")
            self.assertAlmostEqual(
                row["Average Score"], sum(graded.mapped("score")) / len(graded)
            )
            self.assertAlmostEqual(
                row["Labour Hours"], sum(own.hours_ids.mapped("hours"))
            )
        mine_row = by_name[self.technician.name]
        self.assertEqual(mine_row["Jobs Closed"], 5)
        self.assertAlmostEqual(mine_row["Hours: Warranty (Free)"], 2.0)
        self.assertEqual(totals["Months Counted"], "=SUBTOTAL(109,B2:B3)")
        cached = dict(zip(headers, cached_values(content, "Summary")[3], strict=True))
        self.assertEqual(cached["Months Counted"], 4)
        self.assertEqual(cached["Jobs Closed"], sum(cards.mapped("jobs_closed")))

    def test_no_data_is_an_empty_cell(self):
        cards = self._build()
        idle = cards.filtered(
            lambda c: c.user_id == self.other_technician
            and c.date_from == date(2026, 10, 1)
        )
        self.assertEqual(
            (idle.jobs_closed, idle.survey_count, idle.grade), (0, 0, False)
        )
        _headers, rows, _totals = read_table(
            load_workbook(self._export(self.manager))["By Month"]
        )
        [row] = [
            r
            for r in rows
            if r["Technician"] == self.other_technician.name
            and r["Month"].date() == date(2026, 10, 1)
        ]
        self.assertEqual(row["Jobs Closed"], 0)
        for label in (
            "On-time Rate",
            "First-time Fix Rate",
            "Satisfaction Rate",
            "Overall Rating",
            "Service Attitude",
            "Technical Skill",
            "Timeliness",
            "Promise Kept",
            "Complaint Rate",
            "Weighted Score",
            "Grade",
        ):
            self.assertIsNone(row[label], label)
        # A real zero stays a zero: the other technician's November job drew
        # no complaint.
        [row] = [
            r
            for r in rows
            if r["Technician"] == self.other_technician.name
            and r["Month"].date() == date(2026, 11, 1)
        ]
        self.assertEqual(row["Complaint Rate"], 0)
        self.assertEqual(row["On-time Rate"], 0)

    def test_technician_exports_only_their_scorecards(self):
        cards = self._build()
        content = self._export(self.technician)
        book = load_workbook(content)
        _headers, rows, _totals = read_table(book["By Month"])
        self.assertEqual({row["Technician"] for row in rows}, {self.technician.name})
        self.assertEqual(len(rows), 2)
        _headers, rows, _totals = read_table(book["Summary"])
        self.assertEqual([row["Technician"] for row in rows], [self.technician.name])
        own = cards.filtered(lambda c: c.user_id == self.technician)
        self.assertEqual(rows[0]["Jobs Closed"], sum(own.mapped("jobs_closed")))
        # A period and a technician filter narrow the rows.
        content = self._export(
            self.manager,
            "2026-11-01",
            "2026-11-30",
            user_ids=[(6, 0, self.other_technician.ids)],
        )
        _headers, rows, _totals = read_table(load_workbook(content)["By Month"])
        self.assertEqual(
            [(row["Technician"], row["Month"].date()) for row in rows],
            [(self.other_technician.name, date(2026, 11, 1))],
        )

    def test_print_menu_opens_the_wizard_on_the_selection(self):
        cards = self._build()
        action = self.env.ref(
            "aftersales_service.aftersales_technician_evaluation_action_print_kpi"
        )
        mine = cards.filtered(lambda c: c.user_id == self.technician)
        result = (
            action.with_user(self.manager)
            .with_context(
                active_model=self.Card._name, active_ids=mine.ids, active_id=mine[0].id
            )
            .run()
        )
        wizard = Form(
            self.env[result["res_model"]]
            .with_user(self.manager)
            .with_context(**result["context"])
        ).save()
        self.assertEqual(wizard.report, KPI)
        self.assertEqual(
            (wizard.date_from, wizard.date_to), (date(2026, 10, 1), date(2026, 11, 30))
        )
        self.assertEqual(wizard.user_ids, self.technician)

    def test_query_count_does_not_grow_with_scorecards(self):
        self._build()
        wizard = self.env["aftersales.xlsx.export"].with_user(self.manager)
        wizard = wizard.create(
            {
                "report": KPI,
                "date_from": date(2026, 10, 1),
                "date_to": date(2026, 11, 30),
            }
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
        self.assertEqual(len(read_table(load_workbook(content)["By Month"])[1]), 4)
        more = self.env["res.users"]
        for index in range(12):
            more |= new_test_user(
                self.env,
                login=f"as_kpi_tech_{index}",
                groups="aftersales_service.group_aftersales_technician",
            )
        for month in (date(2026, 10, 1), date(2026, 11, 1)):
            self.Card._generate(month, self.company, more)
        many, content = measure()
        self.assertEqual(len(read_table(load_workbook(content)["By Month"])[1]), 28)
        self.assertEqual(many, few)
