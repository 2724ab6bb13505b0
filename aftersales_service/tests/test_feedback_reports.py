from odoo.tests import HttpCase, tagged

from .feedback_common import FeedbackCommon
from .pdf_text import pdf_text


@tagged("post_install", "-at_install")
class TestFeedbackReports(FeedbackCommon):
    def _html(self, report, records):
        html, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_html(report, records.ids)
        )
        return html.decode()

    def test_survey_forms_blank_and_filled(self):
        ticket = self._closed_ticket()
        blank = self._html(
            "aftersales_service.action_report_aftersales_survey_blank", ticket
        )
        self.assertIn(ticket.name, blank)
        self.assertIn("Technical Skill", blank)
        self.assertNotIn("&#9745;", blank.replace("\u2611", "&#9745;"))
        survey = ticket.survey_ids
        survey._submit_answer(
            {**self._answer("average", "3"), "comment": "Slow"}, "call"
        )
        filled = self._html(
            "aftersales_service.action_report_aftersales_survey", survey
        )
        # Four criteria and the overall rating are ticked.
        self.assertEqual(filled.count("\u2611"), 5)
        self.assertIn("Slow", filled)

    def test_complaint_capa_and_scorecard_forms(self):
        complaint = self._new_ticket(
            partner_id=self.customer.id,
            type_id=self.env.ref("aftersales_service.ticket_type_complaint").id,
        )
        complaint.complaint_form = "<p>Scratched by our carrier</p>"
        html = self._html(
            "aftersales_service.action_report_aftersales_complaint", complaint
        )
        self.assertIn("Scratched by our carrier", html)
        self.assertIn("Sales: proposal to the customer", html)
        capa = self.env["aftersales.capa"].create(
            {"problem": "Seal leaks", "why_1": "Seal too thin", "root_cause": "Spec"}
        )
        html = self._html("aftersales_service.action_report_aftersales_capa", capa)
        self.assertIn("Seal too thin", html)
        self.assertIn("D4", html)


@tagged("post_install", "-at_install")
class TestFeedbackPdf(FeedbackCommon, HttpCase):
    """wkhtmltopdf fetches the assets from the test server."""

    def test_scorecard_pdf(self):
        card = self.env["aftersales.technician.evaluation"]._generate(
            self._closed_ticket().date_closed.date(), self.company, self.technician
        )
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "aftersales_service.action_report_aftersales_evaluation", card.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        text = pdf_text(pdf)
        self.assertIn("Technician Scorecard", text)
        self.assertIn(self.technician.name, text)
