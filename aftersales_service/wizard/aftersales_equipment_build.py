from odoo import _, fields, models


class AftersalesEquipmentBuild(models.TransientModel):
    """Build the installed base from deliveries done before the module was installed."""

    _name = "aftersales.equipment.build"
    _description = "Build Installed Base from Past Deliveries"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="Deliveries Since", help="Leave empty to take every past delivery."
    )

    def _history_moves(self):
        domain = [
            ("state", "=", "done"),
            ("company_id", "=", self.company_id.id),
            "|",
            ("location_dest_id.usage", "=", "customer"),
            ("location_id.usage", "=", "customer"),
        ]
        if self.date_from:
            domain.append(("date", ">=", self.date_from))
        return self.env["stock.move"].search(domain, order="date, id")

    def action_build(self):
        self.ensure_one()
        Equipment = self.env["aftersales.equipment"].with_context(active_test=False)
        known = Equipment.search([("company_id", "=", self.company_id.id)])
        seen = {(e.picking_id.id, e.product_id.id) for e in known} | {
            (e.return_picking_id.id, e.product_id.id)
            for e in known
            if e.return_picking_id
        }
        before = len(known)
        # One move at a time, oldest first: a serial delivered, returned and delivered
        # again must end where the last move left it.
        for move in self._history_moves():
            if (move.picking_id.id, move.product_id.id) in seen:
                continue
            Equipment._register_customer_moves(move)
        created = (
            Equipment.search_count([("company_id", "=", self.company_id.id)]) - before
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Installed Base"),
                "message": _("%(count)s equipment records created.", count=created),
                "type": "success",
                "next": {
                    "type": "ir.actions.act_window",
                    "res_model": "aftersales.equipment",
                    "view_mode": "list,form",
                    "views": [(False, "list"), (False, "form")],
                    "name": _("Customer Equipment"),
                },
            },
        }
