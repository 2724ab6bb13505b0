from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class AftersalesCommon(TransactionCase):
    """Fixtures built from scratch: companies, role users, a team, products and
    real deliveries made through sale orders and pickings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # English messages whatever the database's default language.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, lang="en_US")
        )
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Second Service Co."})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id

        cls.manager = cls._make_user("as_manager", "group_aftersales_manager")
        cls.agent = cls._make_user("as_agent", "group_aftersales_user")
        cls.technician = cls._make_user("as_technician", "group_aftersales_technician")
        cls.other_technician = cls._make_user(
            "as_technician_2", "group_aftersales_technician"
        )
        cls.agent_company_2 = new_test_user(
            cls.env,
            login="as_agent_c2",
            groups="aftersales_service.group_aftersales_user",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )

        cls.team = cls.env["aftersales.team"].create(
            {
                "name": "Workshop Team",
                "user_id": cls.manager.id,
                "member_ids": [Command.set(cls.technician.ids)],
            }
        )
        cls.other_team = cls.env["aftersales.team"].create(
            {
                "name": "Field Team",
                "member_ids": [Command.set(cls.other_technician.ids)],
            }
        )
        cls.team_company_2 = cls.env["aftersales.team"].create(
            {"name": "Second Company Team", "company_id": cls.company_2.id}
        )
        cls.stages = {
            stage.kind: stage
            for stage in cls.env["aftersales.stage"].search([("team_ids", "=", False)])
        }

        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Acme Trading",
                "is_company": True,
                "email": "service@acme.example",
            }
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {
                "name": "Li Lei",
                "parent_id": cls.customer.id,
                "email": "li.lei@acme.example",
                "phone": "+86 10 5555 0101",
            }
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Beta Works", "is_company": True, "email": "help@beta.example"}
        )
        cls.serial_product = cls.env["product.product"].create(
            {
                "name": "Laser Printer LP-200",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 1200.0,
            }
        )
        cls.plain_product = cls.env["product.product"].create(
            {"name": "Toner Cartridge", "is_storable": True, "list_price": 80.0}
        )
        cls.serial_1, cls.serial_2, cls.serial_3 = cls.env["stock.lot"].create(
            [
                {"name": f"LP200-000{i}", "product_id": cls.serial_product.id}
                for i in (1, 2, 3)
            ]
        )
        for lot in (cls.serial_1, cls.serial_2, cls.serial_3):
            cls.env["stock.quant"]._update_available_quantity(
                cls.serial_product, cls.stock_location, 1, lot_id=lot
            )
        cls.env["stock.quant"]._update_available_quantity(
            cls.plain_product, cls.stock_location, 50
        )

        # Acme bought serial 1 and toner; Beta bought serial 2. Serial 3 stays in stock.
        cls.order = cls._sell_and_deliver(
            cls.customer_contact,
            [(cls.serial_product, 1, cls.serial_1), (cls.plain_product, 5, None)],
        )
        cls.delivery = cls.order.picking_ids
        cls.serial_line = cls.order.order_line.filtered(
            lambda line: line.product_id == cls.serial_product
        )
        cls.other_order = cls._sell_and_deliver(
            cls.other_customer, [(cls.serial_product, 1, cls.serial_2)]
        )
        cls.other_delivery = cls.other_order.picking_ids

    @classmethod
    def _make_user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"aftersales_service.{group}",
            name=login.replace("_", " ").title(),
            email=f"{login}@example.com",
        )

    @classmethod
    def _sell_and_deliver(cls, partner, lines):
        """Confirm a sale order and validate its delivery with the given lots."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty, _lots in lines
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        for product, qty, lots in lines:
            move = picking.move_ids.filtered(lambda m, p=product: m.product_id == p)
            # One move line per serial (or one for a lot or for untracked goods).
            split = (
                [(lot, 1) for lot in lots] if lots and len(lots) > 1 else [(lots, qty)]
            )
            move.move_line_ids.unlink()
            move.write(
                {
                    "move_line_ids": [
                        Command.create(
                            {
                                "picking_id": picking.id,
                                "product_id": product.id,
                                "quantity": line_qty,
                                "lot_id": lot.id if lot else False,
                                "location_id": move.location_id.id,
                                "location_dest_id": move.location_dest_id.id,
                                "product_uom_id": move.product_uom.id,
                            }
                        )
                        for lot, line_qty in split
                    ],
                    "picked": True,
                }
            )
        picking.button_validate()
        assert picking.state == "done", "delivery should be validated"
        return order

    def _new_ticket(self, **values):
        values.setdefault("subject", "Paper jam")
        values.setdefault("team_id", self.team.id)
        return self.env["aftersales.ticket"].create(values)

    def _flush_tracking(self):
        """Post pending tracking messages, as a commit would (new records are
        not tracked within the transaction that creates them)."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _resolve(self, ticket):
        ticket.user_id = self.technician
        ticket.action_start()
        ticket.action_resolve()
        return ticket
