from collections import defaultdict
from datetime import date

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install")
class TestTechnicianEvaluation(FeedbackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = cls._make_user("as_leader", "group_aftersales_technician")
        cls.team.user_id = cls.leader
        cls.evaluation = cls.env["aftersales.technician.evaluation"]

    def _set_sla_result(self, ticket, result):
        # SLA results come from the SLA engine (tested with it); here they are
        # set directly to build the hand-worked data set.
        ticket.sudo().write({"sla_resolution_result": result})

    def _penalty(self, reason, day, **values):
        form = Form(self.env["aftersales.reward.penalty"].with_user(self.agent))
        form.entry_type = "penalty"
        form.reason_id = self.env.ref(f"aftersales_service.penalty_reason_{reason}")
        form.date = day
        for key, value in values.items():
            setattr(form, key, value)
        entry = form.save()
        entry.action_confirm()
        return entry

    def test_scorecard_figures_worked_by_hand(self):
        with freeze_time("2026-11-05 10:00:00"):
            t1, t2, t3 = (self._closed_ticket() for _i in range(3))
            t4 = self._close(
                self._new_ticket(
                    partner_id=self.customer.id,
                    product_id=self.serial_product.id,
                    lot_id=self.serial_1.id,
                )
            )
        # Another technician's job, and one of ours in October: not counted.
        with freeze_time("2026-10-20 10:00:00"):
            self._closed_ticket()
        for ticket, result in ((t1, "met"), (t2, "met"), (t3, "late"), (t4, False)):
            self._set_sla_result(ticket, result)
        with freeze_time("2026-11-12 10:00:00"):
            # Same serial 7 days after t4 was closed: t4 was not fixed first time.
            self._new_ticket(
                partner_id=self.customer.id,
                product_id=self.serial_product.id,
                lot_id=self.serial_1.id,
            )
            t1.survey_ids._submit_answer(self._answer("very_satisfied", "5"), "call")
            t2.survey_ids._submit_answer(self._answer("average", "3"), "call")
            followup = t1.followup_ids.with_user(self.agent)
            followup.reached = True
            followup.action_done()
            complaint = self._new_ticket(
                partner_id=self.customer.id,
                type_id=self.env.ref("aftersales_service.ticket_type_complaint").id,
                complaint_user_id=self.technician.id,
            )
            self.assertTrue(complaint.is_complaint)
            order = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "aftersales_ticket_id": t1.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.plain_product.id,
                                "product_uom_qty": 2,
                                "price_unit": 80.0,
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
        self._penalty("missed_call", date(2026, 11, 3), ticket_id=t1)
        self._penalty("missed_call", date(2026, 11, 20), ticket_id=t2)
        reward = Form(self.env["aftersales.reward.penalty"].with_user(self.agent))
        reward.entry_type = "reward"
        reward.reason_id = self.env.ref("aftersales_service.reward_reason_commendation")
        reward.user_id = self.technician
        reward.amount = 30.0
        reward.date = date(2026, 11, 25)
        reward.save().action_confirm()

        cards = self.evaluation._generate(
            date(2026, 11, 1), self.company, self.technician | self.other_technician
        )
        card = cards.filtered(lambda c: c.user_id == self.technician)
        self.assertRecordValues(
            card,
            [
                {
                    "date_from": date(2026, 11, 1),
                    "date_to": date(2026, 11, 30),
                    "team_leader_ids": self.leader.ids,
                    "jobs_closed": 4,
                    "sla_measured": 3,
                    "sla_met": 2,
                    "on_time_rate": 66.67,  # 2 / 3
                    "repeat_repairs": 1,
                    "first_time_fix_rate": 75.0,  # 3 / 4
                    "survey_count": 2,
                    "satisfied_count": 1,
                    "satisfaction_rate": 50.0,
                    "avg_rating": 75.0,  # (100 + 50) / 2
                    "avg_attitude": 80.0,  # (100 + 60) / 2
                    "avg_skill": 80.0,
                    "avg_timeliness": 80.0,
                    "avg_promise": 80.0,
                    "complaint_count": 1,
                    "complaint_rate": 25.0,  # 1 / 4
                    "followups_done": 1,
                    "paid_revenue": 160.0,
                    "penalty_total": 150.0,  # 50, then 100 for the repeat
                    "reward_total": 30.0,
                    # (66.67 * 30 + 50 * 30 + 75 * 20 + (100 - 25) * 20) / 100
                    "score": 65.0,
                    "grade": "c",
                    "state": "draft",
                }
            ],
        )
        other = cards - card
        self.assertEqual(other.jobs_closed, 0)
        # Nothing to evaluate: no score, no grade.
        self.assertEqual((other.score, other.grade), (0.0, False))

    def test_repeat_offence_doubles_and_leader_charged(self):
        ticket = self._closed_ticket()
        first = self._penalty("incomplete_report", date(2026, 11, 3), ticket_id=ticket)
        self.assertEqual(first.user_id, self.technician)
        self.assertEqual((first.amount, first.is_repeat), (20.0, False))
        second = self._penalty("incomplete_report", date(2026, 12, 1), ticket_id=ticket)
        self.assertEqual((second.amount, second.is_repeat), (40.0, True))
        other_reason = self._penalty("missed_call", date(2026, 12, 2), ticket_id=ticket)
        self.assertEqual(other_reason.amount, 50.0)
        late = self._penalty("incomplete_report", date(2027, 3, 2), ticket_id=ticket)
        self.assertEqual((late.amount, late.is_repeat), (20.0, False))
        nobody = self._penalty(
            "missed_call",
            date(2026, 12, 3),
            ticket_id=ticket,
            no_direct_responsible=True,
        )
        self.assertEqual(nobody.user_id, self.leader)
        self.assertEqual(nobody.amount, 50.0)

    def test_roles_review_and_approve(self):
        cards = self.evaluation._generate(
            date(2026, 11, 1), self.company, self.technician | self.other_technician
        )
        card = cards.filtered(lambda c: c.user_id == self.technician)
        other_card = cards - card
        self.assertEqual(self.evaluation.with_user(self.technician).search([]), card)
        with self.assertRaises(AccessError):
            other_card.with_user(self.technician).read(["score"])
        with self.assertRaises(AccessError):
            card.with_user(self.technician).action_review()
        with self.assertRaises(UserError):
            card.with_user(self.manager).action_approve()
        card.with_user(self.leader).supervisor_comment = "Good month"
        card.with_user(self.leader).action_review()
        self.assertEqual((card.state, card.reviewed_by_id), ("reviewed", self.leader))
        with self.assertRaises(AccessError):
            card.with_user(self.leader).action_approve()
        card.with_user(self.manager).action_approve()
        self.assertEqual((card.state, card.approved_by_id), ("approved", self.manager))
        with self.assertRaises(UserError):
            card.with_user(self.manager).action_recompute()

    def test_on_demand_wizard_and_cron(self):
        wizard = Form(
            self.env["aftersales.evaluation.generate"].with_user(self.manager)
        )
        wizard.month = date(2026, 10, 14)
        action = wizard.save().action_generate()
        cards = self.evaluation.search(action["domain"])
        self.assertIn(self.technician, cards.user_id)
        self.assertEqual(set(cards.mapped("date_from")), {date(2026, 10, 1)})
        with freeze_time("2026-12-03 01:00:00"):
            self.evaluation._cron_generate_last_month()
        self.assertTrue(
            self.evaluation.search(
                [("user_id", "=", self.technician.id), ("date_from", "=", "2026-11-01")]
            )
        )


@tagged("post_install", "-at_install")
class TestScorecardNoData(FeedbackCommon):
    """No data is shown as no data; rates without data stay out of the score;
    lower-is-better rates count as such; the grade follows the score."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.evaluation = cls.env["aftersales.technician.evaluation"]
        cls.month = date(2026, 11, 1)

    def _card(self, user=None):
        return self.evaluation._generate(
            self.month, self.company, user or self.technician
        )

    def _figures(self, **counts):
        return self.evaluation._figures_to_values(
            defaultdict(float, counts), self.company
        )

    def _complaint(self):
        return self._new_ticket(
            partner_id=self.customer.id,
            type_id=self.env.ref("aftersales_service.ticket_type_complaint").id,
            complaint_user_id=self.technician.id,
        )

    def _printed(self, card):
        """{row label: printed value} of the scorecard PDF, plus its score and
        grade."""
        content, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_html(
                "aftersales_service.action_report_aftersales_evaluation", card.ids
            )
        )
        tree = lxml_html.fromstring(content)
        printed = {
            row.xpath("string(td[1])").strip(): row.xpath("string(td[2])").strip()
            for row in tree.xpath("//table//tr[count(td) = 2]")
        }
        for label in ("Weighted Score:", "Grade:"):
            cell = tree.xpath(f"//p[strong[normalize-space() = '{label}']]")[0]
            printed[label] = cell.xpath("string()").replace(label, "").strip()
        return printed

    def test_no_jobs_is_no_data_without_score_or_grade(self):
        card = self._card(self.other_technician)
        self.assertRecordValues(
            card,
            [
                {
                    "jobs_closed": 0,
                    "sla_measured": 0,
                    "survey_count": 0,
                    # Stored as 0 (a Float cannot be empty), shown as no data.
                    "on_time_rate": 0.0,
                    "first_time_fix_rate": 0.0,
                    "satisfaction_rate": 0.0,
                    "complaint_rate": 0.0,
                    "score": 0.0,
                    "grade": False,
                }
            ],
        )
        printed = self._printed(card)
        for label in (
            "On-time rate (%)",
            "First-time fix rate (%)",
            "Satisfaction rate (%)",
            "Overall rating",
            "Service attitude",
            "Technical skill",
            "Timeliness",
            "Promise kept",
            "Complaint rate (%)",
            "Weighted Score:",
            "Grade:",
        ):
            self.assertEqual(printed[label], "\u2014", label)
        self.assertEqual(printed["Jobs closed"], "0")

    def test_one_job_with_a_complaint_gets_no_good_grade(self):
        with freeze_time("2026-11-05 10:00:00"):
            job = self._closed_ticket()
            self._complaint()
        # SLA results come from the SLA engine (tested with it): none here.
        job.sudo().write({"sla_resolution_result": False})
        # One job, fixed first time, and one complaint: a complaint rate of 100 %,
        # scored 0; no SLA and no survey: those rates have no data.
        card = self._card()
        self.assertRecordValues(
            card,
            [
                {
                    "jobs_closed": 1,
                    "sla_measured": 0,
                    "survey_count": 0,
                    "on_time_rate": 0.0,
                    "first_time_fix_rate": 100.0,
                    "complaint_rate": 100.0,
                    "score": 50.0,  # (100 * 20 + 0 * 20) / 40
                    "grade": "d",
                }
            ],
        )
        printed = self._printed(card)
        self.assertEqual(printed["On-time rate (%)"], "\u2014")
        self.assertEqual(printed["Satisfaction rate (%)"], "\u2014")
        self.assertEqual(float(printed["Complaint rate (%)"]), 100.0)
        self.assertEqual(printed["Grade:"], "D")

        # The customer who complained was satisfied with the visit: still no
        # good grade. (100 * 30 + 100 * 20 + 0 * 20) / 70
        with freeze_time("2026-11-06 10:00:00"):
            job.survey_ids._submit_answer(self._answer("very_satisfied", "5"), "call")
        card.action_recompute()
        self.assertEqual((card.score, card.grade), (71.43, "c"))
        # Even on time, every other rate perfect: the 100 % complaint rate is a
        # failing figure that the average does not hide.
        job.sudo().write({"sla_resolution_result": "met"})
        card.action_recompute()
        self.assertEqual((card.score, card.grade), (80.0, "c"))

    def test_weights_renormalised_and_lower_is_better(self):
        values = self._figures(
            jobs_closed=4,
            repeat_repairs=1,
            sla_measured=2,
            sla_met=1,
            complaint_count=1,
        )
        # No survey: satisfaction (weight 30) is left out, the others share 70.
        # On time 50 * 30, first-time fix 75 * 20, complaints 25 % -> 75 * 20.
        self.assertEqual(values["satisfaction_rate"], 0.0)
        self.assertEqual(values["score"], round(4500 / 70, 2))
        self.assertEqual(values["grade"], "c")
        # More complaints or more repeat repairs lower the score.
        worse = self._figures(
            jobs_closed=4,
            repeat_repairs=1,
            sla_measured=2,
            sla_met=1,
            complaint_count=2,
        )
        self.assertEqual(worse["score"], round(4000 / 70, 2))
        self.assertEqual(worse["grade"], "d")
        worse = self._figures(
            jobs_closed=4,
            repeat_repairs=3,
            sla_measured=2,
            sla_met=1,
            complaint_count=1,
        )
        self.assertEqual(worse["score"], round(3500 / 70, 2))
        # Only a survey answered (the job was closed last month): satisfaction
        # alone makes the score; the jobs rates have no data.
        values = self._figures(survey_count=2, satisfied_count=1)
        self.assertEqual(values["score"], 50.0)
        self.assertEqual(values["first_time_fix_rate"], 0.0)
        self.assertEqual(values["grade"], "d")
        # A rate whose weight is zero does not make a score on its own.
        self.company.aftersales_eval_weight_satisfaction = 0.0
        values = self._figures(survey_count=2, satisfied_count=1)
        self.assertEqual((values["score"], values["grade"]), (0.0, False))

    def test_grade_follows_the_score(self):
        # Every target met (on time, satisfaction, complaints) but nothing fixed
        # first time: the score is 80, yet a failing figure allows C at best.
        values = self._figures(
            jobs_closed=10,
            repeat_repairs=10,
            sla_measured=10,
            sla_met=10,
            survey_count=10,
            satisfied_count=10,
        )
        self.assertEqual((values["score"], values["grade"]), (80.0, "c"))
        # Targets met and a score of B: A.
        values = self._figures(
            jobs_closed=10,
            repeat_repairs=1,
            sla_measured=10,
            sla_met=10,
            survey_count=10,
            satisfied_count=9,
        )
        self.assertEqual((values["score"], values["grade"]), (95.0, "a"))
        # Targets met but a score under B: the grade follows the score.
        self.company.aftersales_eval_grade_b = 96.0
        self.assertEqual(
            self.evaluation._figures_to_values(
                defaultdict(
                    float,
                    jobs_closed=10,
                    repeat_repairs=1,
                    sla_measured=10,
                    sla_met=10,
                    survey_count=10,
                    satisfied_count=9,
                ),
                self.company,
            )["grade"],
            "c",
        )

    def test_sla_on_time_counts_met_late_and_breached(self):
        with freeze_time("2026-11-05 10:00:00"):
            jobs = [self._closed_ticket() for _i in range(5)]
        self.env.flush_all()
        # 'breached' and 'na' are set in SQL: the selection may not know them yet.
        for job, result in zip(
            jobs, ("met", "late", "breached", "na", None), strict=True
        ):
            self.env.cr.execute(
                SQL(
                    "UPDATE aftersales_ticket SET sla_resolution_result = %s "
                    "WHERE id = %s",
                    result,
                    job.id,
                )
            )
        self.env.invalidate_all()
        card = self._card()
        self.assertRecordValues(
            card,
            [
                {
                    "jobs_closed": 5,
                    "sla_measured": 3,
                    "sla_met": 1,
                    "on_time_rate": 33.33,
                }
            ],
        )

    def test_pivot_averages_ignore_no_data(self):
        figures = (
            # On time 1 / 2, first-time fix 3 / 4, satisfaction 1 / 2.
            (
                self.technician,
                {
                    "jobs_closed": 4,
                    "repeat_repairs": 1,
                    "sla_measured": 2,
                    "sla_met": 1,
                    "survey_count": 2,
                    "satisfied_count": 1,
                    "sum_rating": 150.0,
                },
            ),
            # One job, no SLA, no survey: first-time fix 1 / 1.
            (self.other_technician, {"jobs_closed": 1}),
            # Nothing at all: no score.
            (self.agent, {}),
        )
        cards = self.evaluation.create(
            [
                {
                    "user_id": user.id,
                    "date_from": self.month,
                    "date_to": date(2026, 11, 30),
                    **self.evaluation._figures_to_values(
                        defaultdict(float, fig), self.company
                    ),
                }
                for user, fig in figures
            ]
        )
        self.assertEqual(len(cards.filtered("grade")), 2)
        [(on_time, first_time_fix, satisfaction, complaint, rating, score)] = (
            self.evaluation._read_group(
                [("id", "in", cards.ids)],
                [],
                [
                    "on_time_rate:avg",
                    "first_time_fix_rate:avg",
                    "satisfaction_rate:avg",
                    "complaint_rate:avg",
                    "avg_rating:avg",
                    "score:avg",
                ],
            )
        )
        # The rates of the summed counters, as in the Technician KPI workbook.
        self.assertAlmostEqual(on_time, 50.0, places=2)
        self.assertAlmostEqual(first_time_fix, 80.0, places=2)
        self.assertAlmostEqual(satisfaction, 50.0, places=2)
        self.assertAlmostEqual(complaint, 0.0, places=2)
        self.assertAlmostEqual(rating, 75.0, places=2)
        self.assertAlmostEqual(
            score, sum(cards.filtered("grade").mapped("score")) / 2, places=2
        )
        # A group without any data has no average at all.
        [(on_time, score)] = self.evaluation._read_group(
            [("user_id", "=", self.agent.id)], [], ["on_time_rate:avg", "score:avg"]
        )
        self.assertEqual((on_time, score), (False, False))


@tagged("post_install", "-at_install")
class TestEvaluationQueries(FeedbackCommon):
    def test_query_count_does_not_grow_with_tickets(self):
        technicians = self.env["res.users"]
        for index in range(50):
            technicians |= new_test_user(
                self.env,
                login=f"as_tech_q{index}",
                groups="aftersales_service.group_aftersales_technician",
            )
        closed = self.stages["closed"]

        def make_tickets(count, offset):
            self.env["aftersales.ticket"].with_context(
                tracking_disable=True, mail_create_nolog=True
            ).create(
                [
                    {
                        "subject": f"Job {offset + index}",
                        "team_id": self.team.id,
                        "user_id": technicians[(offset + index) % 50].id,
                        "stage_id": closed.id,
                        "confirmation_method": "phone",
                        "confirmed_by": "Customer",
                        "confirmation_date": "2026-11-10 10:00:00",
                        "date_received": "2026-11-09 10:00:00",
                    }
                    for index in range(count)
                ]
            )

        def measure():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.evaluation_model._generate(
                date(2026, 11, 1), self.company, technicians
            )
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        self.evaluation_model = self.env["aftersales.technician.evaluation"]
        with freeze_time("2026-11-10 10:00:00"):
            make_tickets(50, 0)
            self.evaluation_model._generate(
                date(2026, 11, 1), self.company, technicians
            )
            small = measure()
            make_tickets(950, 50)
            large = measure()
        cards = self.evaluation_model.search([("user_id", "in", technicians.ids)])
        self.assertEqual(len(cards), 50)
        self.assertEqual(sum(cards.mapped("jobs_closed")), 1000)
        self.assertLessEqual(large, small)
