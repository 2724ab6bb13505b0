from lxml import etree

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .return_common import ReturnCommon

ONCHANGE_LOGGER = "odoo.tests.form.onchange"


@tagged("post_install", "-at_install")
class TestEntryReturnLine(ReturnCommon):
    """Entering a return line: it proposes what the ticket is about, offers only
    what this customer can still return, and says at once what is wrong."""

    def _ticket_form(self, **values):
        values.setdefault("partner_id", self.customer.id)
        ticket = self._new_ticket(**values)
        return Form(ticket.with_user(self.agent))

    def test_new_line_proposes_ticket_sale_line_and_serial(self):
        with self._ticket_form(lot_id=self.serial_1.id) as form:
            with form.return_line_ids.new() as line:
                self.assertEqual(line.sale_line_id, self.serial_line)
                self.assertEqual(line.lot_id, self.serial_1)
                self.assertEqual(line.quantity, 1.0)
                self.assertEqual(line.returnable_qty, 1.0)
                line.reason_id = self.reason_defect
        self.assertEqual(form.record.return_line_ids.lot_id, self.serial_1)
        # Once returned, a second ticket about that unit proposes nothing.
        with self._ticket_form(lot_id=self.serial_1.id) as form:
            with form.return_line_ids.new() as line:
                self.assertFalse(line.sale_line_id)
                self.assertFalse(line.lot_id)
                line.sale_line_id = self.toner_line
                line.reason_id = self.reason_defect
        # An untracked product: the sale line alone.
        with self._ticket_form(sale_line_id=self.toner_line.id) as form:
            with form.return_line_ids.new() as line:
                self.assertEqual(line.sale_line_id, self.toner_line)
                self.assertFalse(line.lot_id)
                self.assertEqual(line.returnable_qty, 4.0)
                line.reason_id = self.reason_defect

    def test_choices_are_what_this_customer_can_return(self):
        with self._ticket_form() as form:
            with form.return_line_ids.new() as line:
                self.assertEqual(
                    set(line.returnable_sale_line_ids.ids),
                    set((self.serial_line | self.toner_line).ids),
                )
                line.sale_line_id = self.serial_line
                self.assertEqual(line.returnable_lot_ids.ids, self.serial_1.ids)
                line.lot_id = self.serial_1
                line.reason_id = self.reason_defect
            with form.return_line_ids.new() as line:
                line.sale_line_id = self.toner_line
                self.assertEqual(line.returnable_qty, 5.0)
                line.quantity = 5
                line.reason_id = self.reason_defect
        # Everything Acme had is on its way back: nothing is left to choose.
        line = self._ticket_form().return_line_ids.new()
        self.assertFalse(line.returnable_sale_line_ids)
        self.assertFalse(line.returnable_lot_ids)
        line_model = self.env["aftersales.return.line"]
        self.assertEqual(
            line_model._fields["sale_line_id"].domain,
            "[('id', 'in', returnable_sale_line_ids)]",
        )
        self.assertEqual(
            line_model._fields["lot_id"].domain, "[('id', 'in', returnable_lot_ids)]"
        )

    def test_sale_line_suggestions_show_returnable_quantity(self):
        self._return_ticket([(self.toner_line, 3, None, {})])
        found = (
            self.env["sale.order.line"]
            .with_user(self.agent)
            .with_context(aftersales_returnable_hint=True)
            .name_search(args=[("id", "in", (self.toner_line | self.serial_line).ids)])
        )
        labels = dict(found)
        self.assertTrue(
            labels[self.toner_line.id].endswith("(2.00 Units returnable)"),
            labels[self.toner_line.id],
        )
        self.assertTrue(
            labels[self.serial_line.id].endswith("(1.00 Units returnable)"),
            labels[self.serial_line.id],
        )
        plain = dict(
            self.env["sale.order.line"].name_search(
                args=[("id", "=", self.toner_line.id)]
            )
        )
        self.assertNotIn("returnable", plain[self.toner_line.id])

    def test_serial_is_one_unit(self):
        with self._ticket_form() as form, form.return_line_ids.new() as line:
            line.sale_line_id = self.serial_line
            line.lot_id = self.serial_1
            line.quantity = 2
            self.assertEqual(line.quantity, 1.0, "a serial is one unit")
            line.reason_id = self.reason_defect
        self.assertEqual(form.record.return_line_ids.quantity, 1.0)
        with self.assertRaisesRegex(
            ValidationError, "A serial number is returned one unit at a time."
        ):
            form.record.return_line_ids.with_user(self.agent).quantity = 2

    def test_wrong_pick_is_warned_before_saving(self):
        with self._ticket_form() as form:
            with form.return_line_ids.new() as line:
                line.sale_line_id = self.toner_line
                with self.assertLogs(ONCHANGE_LOGGER, "WARNING") as logged:
                    line.quantity = 6
                self.assertIn(
                    "At most 5.0 Units of Toner Cartridge can still be returned from "
                    f"{self.order.name}.",
                    logged.output[0],
                )
                with self.assertNoLogs(ONCHANGE_LOGGER, "WARNING"):
                    line.quantity = 5
                line.reason_id = self.reason_defect
            with form.return_line_ids.new() as line:
                line.sale_line_id = self.serial_line
                # Beta's unit, typed by hand despite the choices offered.
                with self.assertLogs(ONCHANGE_LOGGER, "WARNING") as logged:
                    line.lot_id = self.serial_2
                self.assertIn(
                    f"LP200-0002 was not delivered on {self.order.name}, or was "
                    "already returned.",
                    logged.output[0],
                )
                line.lot_id = self.serial_1
                line.reason_id = self.reason_defect
        self.assertEqual(len(form.record.return_line_ids), 2)

    def test_changing_sale_line_drops_a_serial_it_did_not_deliver(self):
        with self._ticket_form(lot_id=self.serial_1.id) as form:
            with form.return_line_ids.new() as line:
                self.assertEqual(line.lot_id, self.serial_1)
                line.sale_line_id = self.toner_line
                self.assertFalse(line.lot_id)
                line.reason_id = self.reason_defect

    def test_lines_are_listed_compactly_and_edited_in_a_form(self):
        arch = etree.fromstring(
            self.env["aftersales.ticket"].get_view(view_type="form")["arch"]
        )
        (field,) = arch.xpath("//field[@name='return_line_ids']")
        (listing,) = field.xpath("./list")
        self.assertIsNone(listing.get("editable"), "lines open in a form")
        columns = [
            node
            for node in listing.xpath("./field")
            if node.get("column_invisible") not in ("1", "True")
            and node.get("optional") not in ("hide",)
            and node.get("widget") != "handle"
        ]
        self.assertLessEqual(len(columns), 9)
        form_arch = etree.fromstring(
            self.env["aftersales.return.line"].get_view(view_type="form")["arch"]
        )
        for name in ("sale_line_id", "lot_id", "quantity", "returnable_qty"):
            self.assertTrue(form_arch.xpath(f"//group//field[@name='{name}']"), name)
        (lot,) = form_arch.xpath("//field[@name='lot_id']")
        self.assertIn("'no_create': True", lot.get("options"))
        self.assertIn("aftersales_serial_partner_id", lot.get("context"))
