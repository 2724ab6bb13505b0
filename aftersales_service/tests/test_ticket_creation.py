from odoo.tests import Form, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketCreation(AftersalesCommon):
    def test_create_from_form_as_agent(self):
        with Form(self.env["aftersales.ticket"].with_user(self.agent)) as form:
            form.subject = "Printer shows error E05"
            form.partner_id = self.customer
            form.channel = "walk_in"
            form.type_id = self.env.ref("aftersales_service.ticket_type_repair")
            form.fault_level_id = self.env.ref("aftersales_service.fault_level_2")
            form.service_level = "a"
            form.priority = "2"
        ticket = form.record
        self.assertTrue(ticket.name.startswith("AS"))
        self.assertEqual(ticket.partner_email, "service@acme.example")
        self.assertEqual(ticket.company_id, self.company)
        self.assertEqual(ticket.stage_kind, "new")
        self.assertEqual(ticket.display_name, f"{ticket.name} Printer shows error E05")

    def test_create_from_sale_order(self):
        self.assertEqual(self.order.aftersales_ticket_count, 0)
        action = self.order.with_user(self.agent).action_new_aftersales_ticket()
        with Form.from_action(self.env(user=self.agent), action) as form:
            self.assertEqual(form.sale_order_id, self.order)
            self.assertEqual(form.partner_id, self.customer)
            form.subject = "Toner smears"
            form.product_id = self.plain_product
        ticket = form.record
        self.assertEqual(ticket.sale_order_id, self.order)
        self.order.invalidate_recordset(["aftersales_ticket_count"])
        self.assertEqual(self.order.aftersales_ticket_count, 1)
        tickets_action = self.order.action_view_aftersales_tickets()
        self.assertEqual(
            self.env["aftersales.ticket"].search(tickets_action["domain"]), ticket
        )

    def test_create_from_lot(self):
        action = self.serial_1.with_user(self.agent).action_new_aftersales_ticket()
        with Form.from_action(self.env(user=self.agent), action) as form:
            self.assertEqual(form.lot_id, self.serial_1)
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.picking_id, self.delivery)
            form.subject = "Fuser broken"
        ticket = form.record
        self.assertEqual(ticket.product_id, self.serial_product)
        self.assertEqual(self.serial_1.aftersales_ticket_count, 1)
        self.assertEqual(self.serial_product.aftersales_ticket_count, 1)
        self.assertEqual(self.serial_product.product_tmpl_id.aftersales_ticket_count, 1)
        # A contact person sees the tickets of their company.
        self.assertEqual(self.customer_contact.aftersales_ticket_count, 1)
        self.assertEqual(self.customer.aftersales_ticket_count, 1)
        self.assertEqual(self.other_customer.aftersales_ticket_count, 0)
        partner_action = self.customer_contact.action_view_aftersales_tickets()
        self.assertEqual(
            partner_action["context"]["default_contact_id"], self.customer_contact.id
        )
        self.assertEqual(
            self.env["aftersales.ticket"].search(partner_action["domain"]), ticket
        )
