from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .warranty_claim_common import WarrantyClaimCommon


@tagged("post_install", "-at_install")
class TestWarrantyClaimDisposition(WarrantyClaimCommon):
    def _claim(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        self._done_visit(ticket)
        return self._submitted(ticket.claim_ids)

    def _qty(self, location):
        return self.env["stock.quant"]._get_available_quantity(self.fuser, location)

    def test_every_warehouse_has_a_warranty_hold_location(self):
        hold = self.warehouse.aftersales_hold_location_id
        self.assertEqual(hold.usage, "internal")
        self.assertFalse(
            hold.parent_path.startswith(self.warehouse.lot_stock_id.parent_path),
            "held parts are not sellable stock",
        )
        new = self.env["stock.warehouse"].create({"name": "North Depot", "code": "ND"})
        self.assertTrue(new.aftersales_hold_location_id)

    def test_hold_locally_then_return_to_supplier(self):
        claim = self._claim()
        part = claim.part_ids.with_user(self.technician)
        part.disposition = "hold"
        part.action_apply_disposition()
        hold = self.warehouse.aftersales_hold_location_id
        self.assertEqual(part.disposition_state, "held")
        self.assertEqual(part.hold_location_id, hold)
        self.assertEqual(part.hold_picking_id.state, "done")
        self.assertEqual(part.hold_picking_id.location_id.usage, "customer")
        self.assertEqual(self._qty(hold), 2)
        self.assertEqual(
            part.hold_deadline,
            fields.Date.add(fields.Date.context_today(part), days=30),
        )
        self.assertTrue(claim.activity_ids, "a reminder for the deadline")
        with self.assertRaises(UserError, msg="already held"):
            part.action_apply_disposition()
        part.disposition = "return"
        part.action_apply_disposition()
        self.assertEqual(part.disposition_state, "returned")
        picking = part.return_picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.partner_id, self.supplier)
        self.assertEqual(picking.location_id, hold)
        self.assertEqual(picking.location_dest_id.usage, "supplier")
        self.assertEqual(self._qty(hold), 0)
        with self.assertRaises(UserError):
            part.disposition = "scrap"

    def test_return_straight_from_the_customer(self):
        claim = self._claim()
        claim.part_ids.disposition = "return"
        claim.action_process_old_parts()
        picking = claim.part_ids.return_picking_id
        self.assertEqual(picking.location_id.usage, "customer")
        self.assertEqual(picking.move_ids.quantity, 2)
        self.assertEqual(picking.move_ids.state, "done")

    def test_scrap_on_site(self):
        claim = self._claim()
        claim.part_ids.disposition = "scrap"
        claim.part_ids.action_apply_disposition()
        scrap = claim.part_ids.scrap_id
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.scrap_qty, 2)
        self.assertTrue(scrap.move_ids.location_dest_id.scrap_location)
        self.assertEqual(claim.part_ids.disposition_state, "scrapped")

    def test_configured_hold_location_and_days(self):
        shelf = self.env["stock.location"].create(
            {
                "name": "Quality Shelf",
                "usage": "internal",
                "location_id": self.warehouse.view_location_id.id,
            }
        )
        self.company.write(
            {
                "aftersales_claim_hold_location_id": shelf.id,
                "aftersales_claim_hold_days": 7,
            }
        )
        claim = self._claim()
        claim.part_ids.disposition = "hold"
        claim.action_process_old_parts()
        self.assertEqual(claim.part_ids.hold_location_id, shelf)
        self.assertEqual(
            claim.part_ids.hold_deadline,
            fields.Date.add(fields.Date.context_today(claim), days=7),
        )

    def test_return_needs_a_supplier_and_nothing_moves_without_one(self):
        claim = self._claim()
        claim.responsibility = "company"
        claim.part_ids.disposition = "return"
        with self.assertRaises(UserError):
            claim.action_process_old_parts()
        self.assertEqual(claim.part_ids.disposition_state, "pending")
        self.assertFalse(
            self.env["stock.picking"].search([("origin", "=", claim.name)])
        )
        with self.assertRaises(UserError, msg="nothing chosen"):
            claim.part_ids.disposition = False
            claim.action_process_old_parts()
