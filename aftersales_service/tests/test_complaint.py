from datetime import date, datetime

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .feedback_common import FeedbackCommon


@tagged("post_install", "-at_install")
class TestComplaint(FeedbackCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint_type = cls.env.ref("aftersales_service.ticket_type_complaint")
        cls.sales_manager = cls._make_user("as_sales_mgr", "group_aftersales_user")
        cls.deputy_gm = cls._make_user("as_deputy_gm", "group_aftersales_manager")
        cls.gm = cls._make_user("as_gm", "group_aftersales_manager")
        cls.company.write(
            {
                "country_id": cls.env.ref("base.cn").id,
                "aftersales_complaint_sales_manager_id": cls.sales_manager.id,
                "aftersales_complaint_deputy_gm_id": cls.deputy_gm.id,
                "aftersales_complaint_gm_id": cls.gm.id,
            }
        )
        cls.customer.country_id = cls.env.ref("base.cn")
        cls.other_customer.country_id = cls.env.ref("base.de")

    def _complaint(self, partner=None):
        form = Form(self.env["aftersales.ticket"].with_user(self.agent))
        form.subject = "Printer delivered scratched"
        form.partner_id = partner or self.customer
        form.team_id = self.team
        form.type_id = self.complaint_type
        return form.save()

    def test_domestic_and_foreign_limits_and_steps(self):
        with freeze_time("2026-11-02 08:00:00"):
            domestic = self._complaint()
            foreign = self._complaint(self.other_customer)
        self.assertTrue(domestic.is_complaint)
        self.assertEqual(domestic.complaint_origin, "domestic")
        self.assertEqual(foreign.complaint_origin, "foreign")
        self.assertEqual(domestic.complaint_deadline, datetime(2026, 11, 15, 8, 0))
        self.assertEqual(foreign.complaint_deadline, datetime(2026, 11, 19, 8, 0))
        self.assertEqual(
            domestic.complaint_step_ids.mapped("budget_days"), [0.5, 1, 1, 1, 5, 0.5]
        )
        self.assertEqual(
            foreign.complaint_step_ids.mapped("budget_days"), [0.5, 1, 1, 1, 12, 0.5]
        )
        first, second = domestic.complaint_step_ids[:2]
        self.assertEqual(first.state, "running")
        self.assertEqual(first.date_deadline, datetime(2026, 11, 2, 20, 0))
        # The office passes it on late: its step is overdue, the next one starts.
        with freeze_time("2026-11-03 09:00:00"):
            domestic.with_user(self.agent).action_complaint_next_step()
            self.assertTrue(first.is_overdue)
            self.assertEqual(second.state, "running")
            self.assertEqual(second.date_deadline, datetime(2026, 11, 4, 9, 0))
            self.assertFalse(second.is_overdue)
            self.assertFalse(domestic.complaint_overdue)
        with freeze_time("2026-11-15 08:00:01"):
            (domestic | foreign).invalidate_recordset(["complaint_overdue"])
            self.assertTrue(domestic.complaint_overdue)
            self.assertFalse(foreign.complaint_overdue)

    def test_company_limits_are_settings(self):
        self.company.aftersales_complaint_days_domestic = 10
        with freeze_time("2026-11-02 08:00:00"):
            complaint = self._complaint()
        self.assertEqual(complaint.complaint_deadline, datetime(2026, 11, 12, 8, 0))

    def test_compensation_ladder(self):
        complaint = self._complaint()
        complaint.compensation_amount = 12000.0  # above 5,000, up to 20,000
        self.assertEqual(complaint.compensation_level, "deputy_gm")
        self.assertEqual(complaint.compensation_next_approver_id, self.sales_manager)
        with self.assertRaises(UserError):
            complaint.with_user(self.deputy_gm).action_approve_compensation()
        complaint.with_user(self.sales_manager).action_approve_compensation()
        self.assertEqual(complaint.compensation_approved_level, "sales_manager")
        self.assertFalse(complaint.compensation_approved)
        with self.assertRaises(UserError):
            complaint.with_user(self.gm).action_approve_compensation()
        complaint.with_user(self.deputy_gm).action_approve_compensation()
        self.assertTrue(complaint.compensation_approved)
        # Raising the amount above the deputy's limit restarts the ladder up to the GM.
        complaint.compensation_amount = 25000.0
        self.assertEqual(complaint.compensation_level, "gm")
        self.assertEqual(complaint.compensation_approved_level, "none")
        self.assertFalse(complaint.compensation_approved)

    def _confirm(self, ticket, who):
        action = ticket.with_user(self.agent).action_open_close_wizard()
        wizard = Form(
            self.env["aftersales.ticket.close"]
            .with_user(self.agent)
            .with_context(**action["context"])
        )
        wizard.method = "phone"
        wizard.partner_id = who
        wizard.date = fields.Datetime.now()
        wizard.save().action_confirm()

    def test_closure_only_on_complainant_confirmation(self):
        complaint = self._complaint()
        complaint.contact_id = self.customer_contact
        complaint.compensation_amount = 100.0
        self._resolve(complaint)
        # Compensation not approved yet.
        with self.assertRaises(UserError):
            self._confirm(complaint, self.customer_contact)
        complaint.with_user(self.sales_manager).action_approve_compensation()
        colleague = self.env["res.partner"].create(
            {"name": "Our sales engineer", "parent_id": self.customer.id}
        )
        with self.assertRaisesRegex(UserError, "complainant's own confirmation"):
            self._confirm(complaint, colleague)
        self.assertEqual(complaint.stage_kind, "resolved")
        self.assertFalse(complaint.confirmed_by)
        with freeze_time("2026-11-20 10:00:00"):
            self._confirm(complaint, self.customer_contact)
        self.assertEqual(complaint.stage_kind, "closed")
        resurvey = complaint.followup_ids.filtered(lambda f: f.kind == "resurvey")
        self.assertEqual(resurvey.date_planned, date(2027, 2, 20))
        self.assertEqual(resurvey.partner_id, self.customer_contact)

    def test_internal_form_hidden_from_technicians_and_mail(self):
        complaint = self._complaint()
        complaint.with_user(
            self.agent
        ).complaint_form = "<p>Scratched by our carrier</p>"
        with self.assertRaises(AccessError):
            complaint.with_user(self.technician).read(["complaint_form"])
        bodies = " ".join(complaint.message_ids.mapped("body"))
        self.assertNotIn("carrier", bodies)

    def test_plain_ticket_is_not_a_complaint(self):
        ticket = self._new_ticket(partner_id=self.customer.id)
        self.assertFalse(ticket.is_complaint)
        self.assertFalse(ticket.complaint_step_ids)
        self.assertFalse(ticket.complaint_deadline)
        ticket.type_id = self.complaint_type
        self.assertEqual(len(ticket.complaint_step_ids), 6)
