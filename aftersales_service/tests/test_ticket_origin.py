from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import AftersalesCommon


@tagged("post_install", "-at_install")
class TestTicketOrigin(AftersalesCommon):
    """Choosing a line, delivery or lot fills the rest; contradictions are refused."""

    def _ticket_count(self):
        return self.env["aftersales.ticket"].search_count([])

    def assertRefused(self, message, **values):
        before = self._ticket_count()
        # assertRaises (unlike assertRaisesRegex) rolls back to a savepoint.
        with self.assertRaises(ValidationError) as caught:
            self._new_ticket(**values)
        self.assertIn(message, str(caught.exception))
        self.assertEqual(self._ticket_count(), before, "nothing may be written")

    def test_sale_line_fills_order_product_and_customer(self):
        with Form(self.env["aftersales.ticket"]) as form:
            form.subject = "Printer noisy"
            form.sale_line_id = self.serial_line
            self.assertEqual(form.sale_order_id, self.order)
            self.assertEqual(form.product_id, self.serial_product)
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.contact_id, self.customer_contact)
        ticket = form.record
        self.assertEqual(ticket.partner_email, "li.lei@acme.example")
        self.assertEqual(ticket.partner_phone, "+86 10 5555 0101")

    def test_lot_fills_delivery_line_order_and_customer(self):
        with Form(self.env["aftersales.ticket"]) as form:
            form.subject = "Printer dead"
            form.lot_id = self.serial_1
            self.assertEqual(form.product_id, self.serial_product)
            self.assertEqual(form.picking_id, self.delivery)
            self.assertEqual(form.sale_line_id, self.serial_line)
            self.assertEqual(form.sale_order_id, self.order)
            self.assertEqual(form.partner_id, self.customer)

    def test_delivery_fills_order_and_customer(self):
        with Form(self.env["aftersales.ticket"]) as form:
            form.subject = "Toner leaks"
            form.picking_id = self.delivery
            self.assertEqual(form.sale_order_id, self.order)
            self.assertEqual(form.partner_id, self.customer)
            form.product_id = self.plain_product
        self.assertEqual(form.record.product_id, self.plain_product)

    def test_lot_never_delivered_to_customer_is_refused(self):
        self.assertRefused(
            "LP200-0002 was never delivered to customer Acme Trading",
            partner_id=self.customer.id,
            lot_id=self.serial_2.id,
            product_id=self.serial_product.id,
        )
        self.assertRefused(
            "LP200-0003 was never delivered to customer Acme Trading",
            partner_id=self.customer.id,
            lot_id=self.serial_3.id,
        )

    def test_product_not_on_order_is_refused(self):
        stranger = self.env["product.product"].create({"name": "Scanner"})
        self.assertRefused(
            "Product Scanner is not on sale order",
            sale_order_id=self.order.id,
            product_id=stranger.id,
        )

    def test_delivery_of_another_customer_is_refused(self):
        self.assertRefused(
            "went to Beta Works, not to Acme Trading",
            partner_id=self.customer.id,
            picking_id=self.other_delivery.id,
        )

    def test_order_of_another_customer_is_refused(self):
        self.assertRefused(
            "is for customer Beta Works, not Acme Trading",
            partner_id=self.customer.id,
            sale_order_id=self.other_order.id,
        )

    def test_line_of_another_order_is_refused(self):
        self.assertRefused(
            "is not on sale order",
            sale_order_id=self.other_order.id,
            sale_line_id=self.serial_line.id,
            partner_id=self.other_customer.id,
        )

    def test_line_of_another_company_is_refused(self):
        self.assertRefused(
            "belongs to company",
            sale_line_id=self.serial_line.id,
            company_id=self.company_2.id,
            team_id=self.team_company_2.id,
        )

    def test_lot_not_on_chosen_delivery_is_refused(self):
        # Acme really received serial 1, but not on Beta's delivery.
        third = self._sell_and_deliver(self.customer, [(self.plain_product, 1, None)])
        self.assertRefused(
            "was not shipped on delivery",
            lot_id=self.serial_1.id,
            picking_id=third.picking_ids.id,
            partner_id=self.customer.id,
        )

    def test_lot_of_another_product_is_refused(self):
        self.assertRefused(
            "is for product Laser Printer LP-200, not Toner Cartridge",
            partner_id=self.customer.id,
            lot_id=self.serial_1.id,
            product_id=self.plain_product.id,
        )

    def test_inconsistent_write_changes_nothing(self):
        ticket = self._new_ticket(lot_id=self.serial_1.id)
        with self.assertRaises(ValidationError):
            ticket.write({"partner_id": self.other_customer.id})
        self.assertEqual(ticket.partner_id, self.customer)
