from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .return_common import ReturnCommon


@tagged("post_install", "-at_install")
class TestReturnDisposition(ReturnCommon):
    def test_quarantine_location_per_warehouse(self):
        self.assertTrue(self.quarantine)
        self.assertEqual(self.quarantine.usage, "internal")
        self.assertEqual(self.quarantine.location_id, self.warehouse.view_location_id)
        self.assertFalse(self.quarantine._child_of(self.stock_location))
        new_warehouse = self.env["stock.warehouse"].create(
            {"name": "Returns Hub", "code": "RH"}
        )
        self.assertEqual(
            new_warehouse.aftersales_rma_location_id.location_id,
            new_warehouse.view_location_id,
        )

    def test_scrap(self):
        ticket, line = self._received_line(qty=1)
        self._inspect(line, disposition="scrap")
        line.action_apply_disposition()
        self.assertEqual(line.scrap_id.state, "done")
        self.assertEqual(line.scrap_id.location_id, self.quarantine)
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(
                self.plain_product, self.quarantine
            ),
            0,
        )
        with self.assertRaises(UserError), self.cr.savepoint():
            line.action_apply_disposition()

    def test_return_to_vendor(self):
        vendor = self.env["res.partner"].create({"name": "Toner Supplier Ltd"})
        self.plain_product.seller_ids = [(0, 0, {"partner_id": vendor.id})]
        ticket, line = self._received_line(qty=2)
        self._inspect(line, disposition="vendor")
        line.action_apply_disposition()
        picking = line.disposition_picking_id
        self.assertEqual(line.vendor_id, vendor)
        self.assertEqual(picking.partner_id, vendor)
        self.assertEqual(picking.location_id, self.quarantine)
        self.assertEqual(picking.location_dest_id.usage, "supplier")
        self._validate(picking)
        self.assertEqual(
            self.toner_line.qty_delivered, 3, "vendor returns leave the sale alone"
        )

    def test_vendor_needed(self):
        ticket, line = self._received_line(qty=1)
        self._inspect(line, disposition="vendor")
        with self.assertRaises(UserError), self.cr.savepoint():
            line.action_apply_disposition()
        self.assertFalse(line.disposition_picking_id)
        self.assertFalse(line.disposition_done)

    def test_repair_and_send_back(self):
        ticket = self._return_ticket(
            [(self.serial_line, 1, self.serial_1, {"outcome": "repair"})]
        )
        ticket.action_return_submit()
        ticket.action_return_receive()
        self.assertFalse(ticket.return_picking_ids.move_ids.to_refund)
        self._receive(ticket.return_picking_ids)
        self.assertEqual(self.serial_line.qty_delivered, 1, "the customer keeps it")
        line = ticket.return_line_ids
        self._inspect(line)
        line.action_apply_disposition()
        repair = line.repair_id
        self.assertEqual(repair.product_location_dest_id, self.quarantine)
        self.assertTrue(repair.under_warranty)
        self.assertTrue(repair.schedule_date)
        with self.assertRaises(UserError), self.cr.savepoint():
            line.action_send_back()
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        line.action_send_back()
        back = line.send_back_picking_id
        self.assertEqual(back.location_id, self.quarantine)
        self.assertEqual(back.location_dest_id.usage, "customer")
        self.assertEqual(back.move_line_ids.lot_id, self.serial_1)
        self._validate(back)
        self.assertEqual(line.state, "done")
        self.assertEqual(self.serial_line.qty_delivered, 1)
        self.assertFalse(ticket.return_refund_ids)

    def test_inspection_only_after_receipt(self):
        ticket = self._return_ticket([(self.toner_line, 1, None, {})])
        ticket.action_return_submit()
        line = ticket.return_line_ids
        with self.assertRaises(UserError), self.cr.savepoint():
            line.inspection_result = "defect_confirmed"
        with self.assertRaises(UserError), self.cr.savepoint():
            line.action_confirm_inspection()
        self.assertEqual(line.state, "approved")
        ticket.action_return_receive()
        self._receive(ticket.return_picking_ids)
        with Form(line) as form:
            form.department = "production"
            form.root_cause = "Seal cracked in the moulding step"
        self._inspect(line, "defect_confirmed")
        self.assertEqual(line.responsibility, "company")
        self.assertEqual(line.inspection_uid, self.env.user)
