from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install")
class TestFollowup(FeedbackCommon):
    def test_calls_scheduled_after_closure(self):
        self.company.aftersales_followup_second_days = 30
        with freeze_time("2026-11-06 09:00:00"):
            ticket = self._closed_ticket()
        first, second = ticket.followup_ids.sorted("date_planned")
        self.assertRecordValues(
            first | second,
            [
                {
                    "kind": "first",
                    "date_planned": date(2026, 11, 9),
                    "date_deadline": date(2026, 11, 13),
                    "user_id": self.manager.id,  # the team leader
                    "state": "planned",
                    "partner_id": self.customer.id,
                },
                {
                    "kind": "second",
                    "date_planned": date(2026, 12, 6),
                    "date_deadline": date(2026, 12, 6),
                    "user_id": self.manager.id,
                    "state": "planned",
                    "partner_id": self.customer.id,
                },
            ],
        )
        activity = first.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("aftersales_service.mail_activity_type_followup_call"),
        )
        self.assertEqual(activity.date_deadline, date(2026, 11, 9))
        self.assertEqual(activity.user_id, self.manager)

    def test_no_second_call_by_default_and_dedicated_agent(self):
        self.company.aftersales_followup_user_id = self.agent
        ticket = self._closed_ticket()
        self.assertEqual(len(ticket.followup_ids), 1)
        self.assertEqual(ticket.followup_ids.user_id, self.agent)

    def test_record_call_with_new_problem_opens_ticket(self):
        ticket = self._closed_ticket()
        followup = ticket.followup_ids.with_user(self.agent)
        with Form(followup) as form:
            form.reached = True
            form.satisfied = True
            form.problem_solved = True
            form.new_problem = True
            form.new_problem_description = "The scanner now squeaks\nsince last week"
            form.notes = "Happy with the printer"
        followup.action_done()
        self.assertEqual(followup.state, "done")
        self.assertFalse(followup.activity_ids)
        new_ticket = followup.new_ticket_id
        self.assertTrue(new_ticket)
        self.assertEqual(new_ticket.followup_source_id, followup)
        self.assertEqual(new_ticket.partner_id, self.customer)
        self.assertIn("The scanner now squeaks", new_ticket.subject)
        with self.assertRaises(UserError):
            followup.action_done()

    def test_new_problem_needs_description(self):
        followup = self._closed_ticket().followup_ids.with_user(self.agent)
        followup.write({"reached": True, "new_problem": True})
        with self.assertRaises(UserError):
            followup.action_done()
        self.assertEqual(followup.state, "planned")
        self.assertFalse(followup.new_ticket_id)
        self.assertEqual(len(followup.activity_ids), 1)

    def test_survey_entered_during_call(self):
        followup = self._closed_ticket().followup_ids.with_user(self.agent)
        action = followup.action_open_survey()
        survey = (
            self.env["aftersales.survey"].with_user(self.agent).browse(action["res_id"])
        )
        self.assertEqual(survey.ticket_id, followup.ticket_id)

    def test_technician_cannot_record_calls(self):
        followup = self._closed_ticket().followup_ids
        with self.assertRaises(AccessError):
            followup.with_user(self.technician).write({"reached": True})

    def test_project_customer_recurring_calls(self):
        self.customer.write(
            {
                "aftersales_project_followup": True,
                "aftersales_project_date": "2026-01-15",
            }
        )
        followup_model = self.env["aftersales.followup"]
        domain = [("partner_id", "=", self.customer.id), ("kind", "=", "project")]
        with freeze_time("2026-01-20"):
            followup_model._cron_schedule_project_followups()
            followup_model._cron_schedule_project_followups()
        calls = followup_model.search(domain)
        self.assertEqual(calls.mapped("date_planned"), [date(2026, 2, 15)])
        calls.write({"reached": True})
        calls.action_done()
        followup_model._cron_schedule_project_followups()
        self.assertEqual(
            followup_model.search(domain, limit=1).date_planned, date(2026, 3, 15)
        )
        # After the first year, quarterly; the customer may set its own period.
        self.assertEqual(
            self.customer._aftersales_next_project_followup(date(2027, 1, 15)),
            date(2027, 4, 15),
        )
        self.customer.aftersales_followup_later_months = 6
        self.assertEqual(
            self.customer._aftersales_next_project_followup(date(2027, 1, 15)),
            date(2027, 7, 15),
        )
