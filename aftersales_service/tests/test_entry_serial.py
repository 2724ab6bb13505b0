from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import AftersalesCommon

HINT = {"aftersales_serial_hint": True}


@tagged("post_install", "-at_install")
class TestEntrySerial(AftersalesCommon):
    """The serial field of a ticket: labelled suggestions, this customer's units
    first, no serial created by a typo, and the typed customer kept."""

    def _lots(self, user, **context):
        return self.env["stock.lot"].with_user(user).with_context(HINT, **context)

    def test_suggestions_name_product_and_customer(self):
        labels = dict(self._lots(self.agent).name_search("LP200-000"))
        self.assertEqual(
            labels[self.serial_1.id], "LP200-0001 · Laser Printer LP-200 · Acme Trading"
        )
        self.assertEqual(
            labels[self.serial_2.id], "LP200-0002 · Laser Printer LP-200 · Beta Works"
        )
        # Never delivered: no customer to name.
        self.assertEqual(labels[self.serial_3.id], "LP200-0003 · Laser Printer LP-200")
        # Elsewhere the serial keeps its plain name.
        self.assertEqual(self.serial_1.with_user(self.agent).display_name, "LP200-0001")

    def test_customer_units_come_first(self):
        ours = [("id", "in", (self.serial_1 | self.serial_2 | self.serial_3).ids)]
        found = self._lots(
            self.agent, aftersales_serial_partner_id=self.other_customer.id
        ).name_search("LP200", args=ours)
        self.assertEqual(
            [lot_id for lot_id, _label in found],
            [self.serial_2.id, self.serial_1.id, self.serial_3.id],
        )
        # A contact of the customer finds the company's units first too.
        found = self._lots(
            self.agent, aftersales_serial_partner_id=self.customer_contact.id
        ).name_search("LP200", args=ours, limit=1)
        self.assertEqual([lot_id for lot_id, _label in found], [self.serial_1.id])

    def test_ticket_field_cannot_create_serials(self):
        arch = etree.fromstring(
            self.env["aftersales.ticket"].get_view(view_type="form")["arch"]
        )
        (field,) = arch.xpath("//group[@name='product']/field[@name='lot_id']")
        self.assertIn("'no_create': True", field.get("options"))
        self.assertIn("'aftersales_serial_hint': True", field.get("context"))
        stock_user = new_test_user(
            self.env,
            login="as_entry_stock",
            groups="stock.group_stock_user,aftersales_service.group_aftersales_user",
        )
        message = "Serial numbers cannot be created from a ticket"
        for user in (stock_user, self.agent):
            with self.assertRaisesRegex(UserError, message):
                self._lots(user).name_create("LP200-TYPO")
            with self.assertRaisesRegex(UserError, message):
                self._lots(user).create(
                    {"name": "LP200-TYPO", "product_id": self.serial_product.id}
                )
        self.assertFalse(
            self.env["stock.lot"].search([("name", "=", "LP200-TYPO")]),
            "no serial may be created",
        )
        # Receipts and the stock screens still create serials.
        self.assertTrue(
            self.env["stock.lot"]
            .with_user(stock_user)
            .create({"name": "LP200-0009", "product_id": self.serial_product.id})
        )

    def test_serial_of_another_customer_keeps_typed_customer(self):
        with Form(self.env["aftersales.ticket"].with_user(self.agent)) as form:
            form.subject = "Printer dead"
            form.team_id = self.team
            form.partner_id = self.customer
            with self.assertLogs("odoo.tests.form.onchange", "WARNING") as logged:
                form.lot_id = self.serial_2
            self.assertEqual(form.partner_id, self.customer)
            self.assertFalse(form.picking_id, "Beta's delivery is not proposed")
            self.assertFalse(form.sale_line_id)
            self.assertIn(
                "Serial LP200-0002 was delivered to Beta Works, not to Acme Trading.",
                logged.output[0],
            )
            # Saving would be refused; the user picks Acme's own unit instead.
            form.lot_id = self.serial_1
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.picking_id, self.delivery)
            self.assertEqual(form.sale_line_id, self.serial_line)
        self.assertEqual(form.record.lot_id, self.serial_1)

    def test_serial_fills_customer_when_none_typed(self):
        with Form(self.env["aftersales.ticket"].with_user(self.agent)) as form:
            form.subject = "Printer dead"
            form.team_id = self.team
            with self.assertNoLogs("odoo.tests.form.onchange", "WARNING"):
                form.lot_id = self.serial_2
            self.assertEqual(form.partner_id, self.other_customer)
            self.assertEqual(form.picking_id, self.other_delivery)
        self.assertEqual(form.record.partner_id, self.other_customer)
