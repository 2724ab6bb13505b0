import base64

from odoo import Command
from odoo.tests import Form, new_test_user

from .common import AftersalesCommon

# A 1×1 PNG: enough for a signature field.
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f2f1b2"
        "0000000049454e44ae426082"
    )
)


class FieldServiceCommon(AftersalesCommon):
    """A warranty policy covering parts 100 %, labour 50 % and travel 0 %, a van
    per technician stocked with spare parts, and service products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["aftersales.warranty.policy"].create(
            {
                "name": "Printers 12 Months",
                "duration": 12,
                "parts_coverage": 100.0,
                "labour_coverage": 50.0,
                "travel_coverage": 0.0,
            }
        )
        cls.company.aftersales_warranty_policy_id = cls.policy
        # The units delivered before the policy existed take it now.
        cls.env["aftersales.equipment"].search([]).warranty_policy_id = cls.policy
        cls.labour = cls.env.ref("aftersales_service.product_service_labour")
        cls.travel = cls.env.ref("aftersales_service.product_service_travel")
        cls.fee = cls.env.ref("aftersales_service.product_service_fee")
        cls.company.write(
            {
                "aftersales_labour_product_id": cls.labour.id,
                "aftersales_travel_product_id": cls.travel.id,
                "aftersales_fee_product_id": cls.fee.id,
            }
        )
        (cls.labour | cls.travel | cls.fee).write({"taxes_id": [Command.clear()]})
        cls.labour.list_price = 100.0
        cls.travel.list_price = 2.0
        cls.fee.list_price = 50.0

        cls.fuser = cls.env["product.product"].create(
            {
                "name": "Fuser Unit",
                "is_storable": True,
                "list_price": 300.0,
                "standard_price": 120.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.van = cls.env["stock.location"].create(
            {
                "name": "Van Technician",
                "usage": "internal",
                "location_id": cls.warehouse.view_location_id.id,
                "aftersales_technician_id": cls.technician.id,
            }
        )
        cls.other_van = cls.env["stock.location"].create(
            {
                "name": "Van Other Technician",
                "usage": "internal",
                "location_id": cls.warehouse.view_location_id.id,
                "aftersales_technician_id": cls.other_technician.id,
            }
        )
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.fuser, cls.van, 5)
        Quant._update_available_quantity(cls.fuser, cls.other_van, 5)
        Quant._update_available_quantity(cls.fuser, cls.stock_location, 20)

        cls.warehouse_user = new_test_user(
            cls.env,
            login="as_warehouse",
            groups="stock.group_stock_user,aftersales_service.group_aftersales_user",
            name="Warehouse Clerk",
        )
        cls.accountant = new_test_user(
            cls.env,
            login="as_accountant",
            groups="account.group_account_invoice,sales_team.group_sale_salesman_all_leads",
            name="Accountant",
        )
        # Agents prepare the service quotations, which are sale orders.
        cls.agent.groups_id |= cls.env.ref("sales_team.group_sale_salesman")
        # Workshop technicians work in repair orders, which need Inventory rights.
        cls.technician.groups_id |= cls.env.ref("stock.group_stock_user")
        cls.warehouse_user.groups_id |= cls.env.ref(
            "sales_team.group_sale_salesman_all_leads"
        )

    def _warranty_ticket(self, **values):
        """Serial 1 was delivered today: in warranty, free service."""
        values.setdefault("lot_id", self.serial_1.id)
        ticket = self._new_ticket(**values)
        self.assertEqual(ticket.service_category, "warranty")
        return ticket

    def _paid_ticket(self, **values):
        values.setdefault("lot_id", self.serial_1.id)
        values.setdefault("responsibility", "customer")
        ticket = self._new_ticket(**values)
        self.assertEqual(ticket.service_category, "paid")
        return ticket

    def _visit(self, ticket, user=None, **values):
        values.setdefault("user_id", (user or self.technician).id)
        values.setdefault("ticket_id", ticket.id)
        return self.env["aftersales.visit"].create(values)

    def _confirm_repair(self, repair):
        """Confirm as a user does: the unit is at the customer's, so Odoo warns
        that it is not in stock and the user goes on."""
        action = repair.action_validate()
        if isinstance(action, dict):
            warning = Form(
                self.env[action["res_model"]]
                .with_user(self.env.user)
                .with_context(**action["context"])
            ).save()
            warning.action_done()
        self.assertEqual(repair.state, "confirmed")

    def _sign(self, visit, name="Li Lei"):
        visit.write({"signature": SIGNATURE, "signed_by": name})
