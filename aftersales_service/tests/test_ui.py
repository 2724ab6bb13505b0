from odoo.tests import HttpCase, tagged

from .pdf_text import pdf_text


@tagged("post_install", "-at_install")
class TestAftersalesUi(HttpCase):
    def test_ticket_tour(self):
        """Open the app, create a ticket in the form and move it in the kanban."""
        self.env["aftersales.team"].create(
            {
                "name": "Tour Team",
                "member_ids": [(4, self.env.ref("base.user_admin").id)],
            }
        )
        self.env["res.partner"].create({"name": "Tour Customer", "is_company": True})
        # The tour reads English labels, whatever the database's default language.
        self.env["res.lang"]._activate_lang("en_US")
        self.env.ref("base.user_admin").lang = "en_US"
        self.start_tour("/odoo", "aftersales_ticket_tour", login="admin")
        ticket = self.env["aftersales.ticket"].search(
            [("subject", "=", "Tour: printer jams every ten pages")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.stage_kind, "in_progress")
        self.assertEqual(ticket.channel, "walk_in")
        self.assertEqual(ticket.partner_id.name, "Tour Customer")
        self.assertTrue(ticket.name.startswith("AS"))

    def test_visit_tour(self):
        """Plan, sign and complete an on-site visit from the ticket form."""
        admin = self.env.ref("base.user_admin")
        self.env["res.lang"]._activate_lang("en_US")
        admin.lang = "en_US"
        admin.tz = "UTC"
        customer = self.env["res.partner"].create(
            {"name": "Tour Customer", "is_company": True}
        )
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "Tour visit ticket",
                "partner_id": customer.id,
                "service_category": "warranty",
                "user_id": admin.id,
            }
        )
        self.start_tour(
            f"/odoo/action-aftersales_service.aftersales_ticket_action/{ticket.id}",
            "aftersales_visit_tour",
            login="admin",
        )
        visit = ticket.visit_ids
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.signed_by, "Li Lei")
        self.assertTrue(visit.signature)
        self.assertEqual(visit.travel_distance, 25)
        self.assertEqual(ticket.date_onsite, visit.date_arrival)
        self.assertEqual(ticket.stage_kind, "in_progress")


@tagged("post_install", "-at_install")
class TestTicketPdf(HttpCase):
    """The printed service ticket, rendered by wkhtmltopdf via the server."""

    def test_chinese_survives_into_the_pdf(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"]
        )
        customer = self.env["res.partner"].create(
            {"name": "北京华信科技有限公司", "is_company": True, "lang": "zh_CN"}
        )
        ticket = self.env["aftersales.ticket"].create(
            {
                "subject": "打印机卡纸，每十页停一次",
                "partner_id": customer.id,
                "description": "<p>客户报修：纸盒二无法进纸。</p>",
            }
        )
        pdf, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "aftersales_service.action_report_aftersales_ticket", ticket.ids
            )
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        for expected in (
            ticket.name,
            "北京华信科技有限公司",
            "打印机卡纸",
            "纸盒二无法进纸",
            "售后服务单",
            "保修",
        ):
            self.assertIn(expected, text)
