from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .aftersales_ticket_warranty import COVERED_STATES


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    repair_ids = fields.One2many(
        "repair.order", "aftersales_ticket_id", string="Repairs"
    )
    repair_count = fields.Integer(compute="_compute_repair_summary")
    repair_summary = fields.Char(
        string="Repairs Status",
        compute="_compute_repair_summary",
        help="The state of each repair order of the ticket.",
    )

    @api.depends("repair_ids.state")
    def _compute_repair_summary(self):
        labels = dict(
            self.env["repair.order"]._fields["state"]._description_selection(self.env)
        )
        for ticket in self:
            repairs = ticket.repair_ids
            ticket.repair_count = len(repairs)
            ticket.repair_summary = (
                ", ".join(
                    f"{repair.name}: {labels[repair.state]}" for repair in repairs
                )
                or False
            )

    def _repair_defaults(self):
        """What a repair order opened from this ticket starts with."""
        self.ensure_one()
        policy = self.warranty_policy_id
        covered = (
            self.service_category == "warranty"
            and self.warranty_state in COVERED_STATES
        )
        values = {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            # Odoo prices the parts of an under-warranty repair at zero: only when
            # the policy covers parts in full; partial cover is a quotation discount.
            "under_warranty": covered
            and (not policy or policy.parts_coverage >= 100.0),
            "internal_notes": self.description,
        }
        if self.product_id.type == "consu":
            values["product_id"] = self.product_id.id
            if self.lot_id:
                values["lot_id"] = self.lot_id.id
        order = self._aftersales_open_order()
        if order:
            values["sale_order_id"] = order.id
        return values

    def action_new_repair(self):
        self.ensure_one()
        if self.is_done:
            raise UserError(_("Ticket %(ticket)s is closed.", ticket=self.name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Repair Order"),
            "res_model": "repair.order",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_aftersales_ticket_id": self.id,
                **{
                    f"default_{field}": value
                    for field, value in self._repair_defaults().items()
                    if field not in ("company_id", "internal_notes")
                },
            },
        }

    def action_view_repairs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "repair.action_repair_order_tree"
        )
        action.update(
            domain=[("aftersales_ticket_id", "=", self.id)],
            context={"default_aftersales_ticket_id": self.id},
        )
        if self.repair_count == 1:
            action.update(
                view_mode="form", res_id=self.repair_ids.id, views=[(False, "form")]
            )
        return action

    def _on_repairs_done(self):
        """Once every repair of a ticket is done, the ticket is resolved when its
        rules allow it; otherwise it says what still blocks it."""
        for ticket in self:
            states = set(ticket.repair_ids.mapped("state"))
            if not states <= {"done", "cancel"} or "done" not in states:
                continue
            if ticket.stage_kind in ("resolved", "closed", "cancelled"):
                continue
            try:
                with self.env.cr.savepoint():
                    ticket.action_resolve()
            except UserError as error:
                ticket._message_log(
                    body=_(
                        "All repairs are done, but the ticket could not be resolved: "
                        "%(reason)s",
                        reason=error.args[0],
                    ),
                )
