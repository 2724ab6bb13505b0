import base64
from datetime import timedelta

from odoo import Command
from odoo.tests import Form, new_test_user

from .field_service_common import FieldServiceCommon

# A 1×1 PNG, standing for the photos of the claim.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f2f1b2"
        "0000000049454e44ae426082"
    )
)


class WarrantyClaimCommon(FieldServiceCommon):
    """Claim accounts and journal, internal rates, a supplier of the fuser unit
    and a second manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"]
        cls.expense_account = Account.create(
            {"name": "Warranty Expense", "code": "660900", "account_type": "expense"}
        )
        cls.parts_account = Account.create(
            {
                "name": "Parts Issued for Warranty",
                "code": "140900",
                "account_type": "asset_current",
            }
        )
        cls.labour_account = Account.create(
            {
                "name": "Labour Absorbed",
                "code": "260901",
                "account_type": "liability_current",
            }
        )
        cls.travel_account = Account.create(
            {
                "name": "Travel Absorbed",
                "code": "260902",
                "account_type": "liability_current",
            }
        )
        cls.warranty_journal = cls.env["account.journal"].create(
            {"name": "Warranty Costs", "code": "WCJ", "type": "general"}
        )
        cls.company.write(
            {
                "aftersales_claim_journal_id": cls.warranty_journal.id,
                "aftersales_claim_expense_account_id": cls.expense_account.id,
                "aftersales_claim_parts_account_id": cls.parts_account.id,
                "aftersales_claim_labour_account_id": cls.labour_account.id,
                "aftersales_claim_travel_account_id": cls.travel_account.id,
                "aftersales_claim_labour_rate": 60.0,
                "aftersales_claim_mileage_rate": 1.5,
                "aftersales_claim_second_approval_amount": 1000.0,
            }
        )
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Fuser Works Ltd", "is_company": True}
        )
        cls.other_supplier = cls.env["res.partner"].create(
            {"name": "Roller Parts Co", "is_company": True}
        )
        cls.fuser.seller_ids = [
            Command.create({"partner_id": cls.supplier.id, "price": 110.0})
        ]
        cls.roller = cls.env["product.product"].create(
            {
                "name": "Pressure Roller",
                "is_storable": True,
                "standard_price": 40.0,
                "seller_ids": [
                    Command.create({"partner_id": cls.other_supplier.id, "price": 35})
                ],
            }
        )
        cls.env["stock.quant"]._update_available_quantity(cls.roller, cls.van, 5)
        cls.manager_2 = new_test_user(
            cls.env,
            login="as_manager_2",
            groups="aftersales_service.group_aftersales_manager",
            name="Second Manager",
        )

    def _done_visit(self, ticket, parts=None, distance=20.0):
        """A completed visit of one hour replacing the given parts."""
        parts = parts or [(self.fuser, 2)]
        visit = self._visit(ticket)
        visit.action_arrive()
        visit.write(
            {
                "date_departure": visit.date_arrival + timedelta(hours=1),
                "travel_distance": distance,
                "fault_cause": "Fuser thermistor burnt",
                "part_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": qty,
                            "old_part_returned": True,
                            "old_part_serial": f"OLD-{product.id}",
                        }
                    )
                    for product, qty in parts
                ],
            }
        )
        self._sign(visit)
        visit.action_complete()
        return visit

    def _done_repair(self, ticket, product=None, qty=1, hours=1.5):
        action = ticket.with_user(self.technician).action_new_repair()
        repair = Form(
            self.env["repair.order"]
            .with_user(self.technician)
            .with_context(**action["context"])
        ).save()
        repair.move_ids = [
            Command.create(
                {
                    "product_id": (product or self.fuser).id,
                    "product_uom_qty": qty,
                    "repair_line_type": "add",
                }
            )
        ]
        repair.repair_hours = hours
        self._confirm_repair(repair)
        repair.action_repair_start()
        repair.move_ids.quantity = qty
        repair.move_ids.picked = True
        repair.action_repair_end()
        return repair

    def _claim_form(self, ticket, user=None):
        """Open the claim from the ticket's button, as the user does."""
        user = user or self.technician
        action = ticket.with_user(user).action_new_claim()
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )

    def _add_photos(self, claim, count=5):
        attachments = self.env["ir.attachment"].create(
            [
                {
                    "name": f"photo_{i}.png",
                    "datas": PNG,
                    "res_model": claim._name,
                    "res_id": claim.id,
                }
                for i in range(count)
            ]
        )
        claim.write({"photo_ids": [Command.link(a.id) for a in attachments]})

    def _submitted(self, claim, responsibility="supplier"):
        claim.write({"responsibility": responsibility, "failure_type": "component"})
        self._add_photos(claim)
        claim.action_submit()
        self.assertEqual(claim.state, "submitted")
        return claim
