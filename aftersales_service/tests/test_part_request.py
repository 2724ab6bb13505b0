from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .field_service_common import FieldServiceCommon


@tagged("post_install", "-at_install")
class TestPartRequest(FieldServiceCommon):
    def _request(self, ticket):
        form = Form(
            self.env["aftersales.part.request"]
            .with_user(self.technician)
            .with_context(default_ticket_id=ticket.id)
        )
        with form.line_ids.new() as line:
            line.product_id = self.fuser
            line.quantity = 3
        return form.save()

    def test_approved_request_becomes_a_transfer_to_the_van(self):
        ticket = self._warranty_ticket(user_id=self.technician.id)
        request = self._request(ticket)
        self.assertTrue(request.name.startswith("BJ"))
        self.assertEqual(request.location_dest_id, self.van)
        request.action_submit()
        self.assertEqual(ticket.part_request_count, 1)
        with self.assertRaises(UserError):
            request.with_user(self.technician).action_approve()
        with self.assertRaises(UserError):
            request.with_user(self.agent).action_approve()
        self.assertEqual(request.state, "submitted")
        with self.assertRaises(UserError):
            request.line_ids.write({"quantity": 9}) if False else request.write(
                {"location_dest_id": self.stock_location.id}
            )
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.approved_uid, self.manager)
        picking = request.picking_id
        self.assertEqual(picking.picking_type_id, self.warehouse.int_type_id)
        self.assertEqual(picking.location_dest_id, self.van)
        self.assertEqual(picking.move_ids.product_uom_qty, 3)
        self.assertEqual(picking.state, "assigned")
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.fuser, self.van), 8
        )
        with self.assertRaises(UserError):
            request.action_cancel()

    def test_rejection_needs_a_reason_and_allows_resubmission(self):
        request = self._request(self._warranty_ticket(user_id=self.technician.id))
        with self.assertRaises(UserError):
            request.action_submit() if not request.line_ids else request.with_user(
                self.manager
            ).action_reject("")
        request.action_submit()
        with self.assertRaises(UserError):
            request.with_user(self.manager).action_reject("  ")
        with self.assertRaises(AccessError):
            self.env["aftersales.part.request.reject"].with_user(
                self.technician
            ).create({"request_id": request.id, "reason": "no"})
        self.env["aftersales.part.request.reject"].with_user(self.manager).create(
            {"request_id": request.id, "reason": "Use the refurbished stock"}
        ).action_confirm()
        self.assertEqual(request.state, "rejected")
        self.assertFalse(request.picking_id)
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertFalse(request.reject_reason)

    def test_empty_request_cannot_be_submitted(self):
        request = (
            self.env["aftersales.part.request"]
            .with_user(self.technician)
            .create({"ticket_id": self._warranty_ticket(user_id=self.technician.id).id})
        )
        with self.assertRaises(UserError):
            request.action_submit()
        self.assertEqual(request.state, "draft")
