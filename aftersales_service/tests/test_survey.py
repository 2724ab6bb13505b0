from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install")
class TestSurvey(FeedbackCommon):
    def test_every_closed_ticket_gets_one_survey_and_mail(self):
        tickets = self._new_ticket(partner_id=self.customer.id) | self._new_ticket(
            partner_id=self.other_customer.id
        )
        for ticket in tickets:
            self._close(ticket)
        surveys = tickets.survey_ids
        self.assertEqual(len(surveys), 2)
        self.assertEqual(surveys.ticket_id, tickets)
        for survey in surveys:
            self.assertEqual(survey.state, "pending")
            self.assertEqual(survey.technician_ids, self.technician)
            self.assertTrue(survey.rating_id)
            self.assertIn(survey.sudo().access_token, survey._get_public_url())
            # The link goes with the closure mail.
            mail = survey.ticket_id.message_ids.filtered(
                lambda m, s=survey: s.sudo().access_token in (m.body or "")
            )
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.partner_ids, survey.partner_id)
        # Reopening and closing again does not make a second survey.
        ticket = tickets[0]
        ticket.action_reopen()
        self._close(ticket)
        self.assertEqual(len(ticket.survey_ids), 1)

    def test_survey_resent_by_mail(self):
        survey = self._closed_ticket().survey_ids.with_user(self.agent)
        survey.action_send_by_mail()
        mails = survey.ticket_id.message_ids.filtered(
            lambda m: survey.sudo().access_token in (m.body or "")
        )
        self.assertEqual(len(mails), 2)
        survey._submit_answer(self._answer(), "call")
        with self.assertRaises(UserError):
            survey.action_send_by_mail()

    def test_agent_records_answer_during_call_once(self):
        ticket = self._closed_ticket()
        survey = ticket.survey_ids.with_user(self.agent)
        with Form(survey) as form:
            form.rating_value = "5"
            form.attitude_level_id = self.levels["very_satisfied"]
            form.skill_level_id = self.levels["satisfied"]
            form.timeliness_level_id = self.levels["satisfied"]
            form.promise_level_id = self.levels["average"]
            form.comment = "Fine"
        survey.action_record_answer()
        self.assertRecordValues(
            survey,
            [
                {
                    "state": "answered",
                    "channel": "call",
                    "answered_by_id": self.agent.id,
                    # (100 + 80 + 80 + 60) / 4
                    "score": 80.0,
                    "is_satisfied": False,
                }
            ],
        )
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertEqual(survey.rating_id.feedback, "Fine")
        with self.assertRaises(UserError):
            survey._submit_answer(self._answer("dissatisfied", "1"), "call")
        self.assertEqual(survey.attitude_level_id, self.levels["very_satisfied"])

    def test_incomplete_answer_writes_nothing(self):
        survey = self._closed_ticket().survey_ids
        answer = self._answer()
        del answer["promise_level_id"]
        with self.assertRaises(UserError):
            survey._submit_answer(answer, "link")
        bad_rating = {**self._answer(), "rating_value": "4"}
        with self.assertRaises(UserError):
            survey._submit_answer(bad_rating, "link")
        self.assertEqual(survey.state, "pending")
        self.assertFalse(survey.attitude_level_id)
        self.assertFalse(survey.rating_id.consumed)

    def test_expired_link_refuses_answer(self):
        with freeze_time("2026-11-01 10:00:00"):
            survey = self._closed_ticket().survey_ids
        self.assertEqual(str(survey.date_expire), "2026-12-01 10:00:00")
        with freeze_time("2026-12-01 10:00:01"):
            self.assertTrue(survey._is_expired())
            with self.assertRaises(UserError):
                survey._submit_answer(self._answer(), "link")
        self.assertEqual(survey.state, "pending")

    def test_technician_sees_own_surveys_only(self):
        mine = self._closed_ticket()
        theirs = self._new_ticket(
            partner_id=self.customer.id, team_id=self.other_team.id
        )
        theirs.user_id = self.other_technician
        theirs.action_start()
        theirs.action_resolve()
        self._close(theirs)
        visible = self.env["aftersales.survey"].with_user(self.technician).search([])
        self.assertEqual(visible, mine.survey_ids)
        with self.assertRaises(AccessError):
            theirs.survey_ids.with_user(self.technician).read(["score"])
        with self.assertRaises(AccessError):
            mine.survey_ids.with_user(self.technician).write({"comment": "x"})


@tagged("post_install", "-at_install")
class TestSurveyRoute(FeedbackCommon, HttpCase):
    def _post(self, token, values):
        page = self.url_open(f"/aftersales/survey/{token}")
        if 'name="csrf_token"' in page.text:
            self.csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        return self.url_open(
            f"/aftersales/survey/{token}/submit",
            data={**values, "csrf_token": self.csrf},
        )

    def test_public_link_answers_only_its_ticket(self):
        ticket = self._closed_ticket()
        other = self._closed_ticket(partner_id=self.other_customer.id)
        survey, other_survey = ticket.survey_ids, other.survey_ids
        token = survey.sudo().access_token
        page = self.url_open(f"/aftersales/survey/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(ticket.name, page.text)
        self.assertNotIn(other.name, page.text)

        answer = {**self._answer(), "ticket_id": other.id}
        response = self._post(token, answer)
        self.assertIn("o_aftersales_survey_done", response.text)
        self.assertEqual(survey.state, "answered")
        self.assertEqual(survey.channel, "link")
        self.assertTrue(survey.is_satisfied)
        self.assertEqual(ticket.rating_last_value, 5)
        self.assertEqual(other_survey.state, "pending")

        # The same link again: nothing changes.
        again = self._post(token, self._answer("dissatisfied", "1"))
        self.assertIn("o_aftersales_survey_done", again.text)
        self.assertEqual(survey.attitude_level_id, self.levels["satisfied"])
        self.assertEqual(ticket.rating_last_value, 5)

    def test_portal_customer_sees_only_own_surveys(self):
        acme = self._closed_ticket()
        beta = self._closed_ticket(partner_id=self.other_customer.id)
        beta_contact = self.env["res.partner"].create(
            {"name": "Beta Buyer", "parent_id": self.other_customer.id}
        )
        new_test_user(
            self.env,
            login="beta_portal",
            password="beta_portal_pw",
            groups="base.group_portal",
            partner_id=beta_contact.id,
        )
        self.authenticate("beta_portal", "beta_portal_pw")
        listing = self.url_open("/my/aftersales/surveys")
        self.assertIn(beta.name, listing.text)
        self.assertNotIn(acme.name, listing.text)
        # Another customer's token does not open for a logged-in customer.
        acme_token = acme.survey_ids.sudo().access_token
        self.assertEqual(
            self.url_open(f"/aftersales/survey/{acme_token}").status_code, 404
        )
        response = self._post(beta.survey_ids.sudo().access_token, self._answer())
        self.assertIn("o_aftersales_survey_done", response.text)
        self.assertEqual(beta.survey_ids.channel, "portal")

    def test_wrong_and_expired_tokens(self):
        with freeze_time("2026-11-01 10:00:00"):
            survey = self._closed_ticket().survey_ids
        token = survey.sudo().access_token
        self.assertEqual(
            self.url_open("/aftersales/survey/not-a-token").status_code, 404
        )
        self.assertEqual(
            self.url_open(f"/aftersales/survey/{token[:-1]}x").status_code, 404
        )
        survey.sudo().date_expire = "2020-01-01 00:00:00"
        self.env.flush_all()
        page = self.url_open(f"/aftersales/survey/{token}")
        self.assertIn("o_aftersales_survey_expired", page.text)
        self.assertNotIn('name="csrf_token"', page.text)
        csrf = page.text.split('csrf_token: "')[1].split('"')[0]
        response = self.url_open(
            f"/aftersales/survey/{token}/submit",
            data={**self._answer(), "csrf_token": csrf},
        )
        self.assertIn("o_aftersales_survey_expired", response.text)
        self.assertEqual(survey.state, "pending")
        self.assertFalse(survey.attitude_level_id)
