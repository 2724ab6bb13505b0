from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare

from .aftersales_ticket_warranty import COVERED_STATES


class AftersalesTicket(models.Model):
    """Warranty claims of a ticket, and the claim proposed when in-warranty work
    with parts replaced is completed."""

    _inherit = "aftersales.ticket"

    claim_ids = fields.One2many(
        "aftersales.warranty.claim", "ticket_id", string="Warranty Claims"
    )
    claim_count = fields.Integer(compute="_compute_claim_count")
    claim_allowed = fields.Boolean(
        compute="_compute_claim_count",
        help="In warranty, or out of it with an approved warranty exception.",
    )

    @api.depends("claim_ids", "warranty_state", "service_category")
    def _compute_claim_count(self):
        counts = self._count_by_ticket("aftersales.warranty.claim")
        for ticket in self:
            ticket.claim_count = counts.get(ticket._origin, 0)
            ticket.claim_allowed = ticket._aftersales_claim_allowed()

    def _aftersales_claim_allowed(self):
        self.ensure_one()
        exception = self.service_category == "warranty" and self.category_approved
        return self.warranty_state in COVERED_STATES or exception

    def _aftersales_used_parts(self):
        """Parts issued on the completed visits and repairs of the ticket: one
        entry per issue, with product, lot, quantity (in the product's unit), the
        stock move, whether it was under warranty and the old part's serial."""
        self.ensure_one()
        used = []
        for visit in self.visit_ids.filtered(lambda v: v.state == "done"):
            for part in visit.part_ids.filtered(lambda p: p.move_id.state == "done"):
                used.append(
                    {
                        "product": part.product_id,
                        "lot": part.lot_id,
                        "quantity": part.quantity,
                        "move": part.move_id,
                        "under_warranty": part.under_warranty,
                        "old_part_serial": part.old_part_serial or "",
                    }
                )
        for repair in self.repair_ids.filtered(lambda r: r.state == "done"):
            moves = repair.move_ids.filtered(
                lambda m: m.repair_line_type == "add" and m.state == "done"
            )
            for move in moves:
                lots = move.move_line_ids.lot_id
                used.append(
                    {
                        "product": move.product_id,
                        "lot": lots if len(lots) == 1 else lots.browse(),
                        "quantity": move.product_uom._compute_quantity(
                            move.quantity, move.product_id.uom_id
                        ),
                        "move": move,
                        "under_warranty": repair.under_warranty
                        or self.service_category == "warranty",
                        "old_part_serial": "",
                    }
                )
        return used

    def _aftersales_unclaimed_parts(self):
        """Warranty parts used on the jobs and not yet on a live claim, as claim
        part values."""
        self.ensure_one()
        claimed = defaultdict(float)
        for part in self.claim_ids.filtered(lambda c: c.state != "rejected").part_ids:
            claimed[part.product_id] += part.quantity
        lines = []
        for use in self._aftersales_used_parts():
            if not use["under_warranty"]:
                continue
            product = use["product"]
            quantity = use["quantity"]
            taken = min(claimed[product], quantity)
            claimed[product] -= taken
            quantity -= taken
            if (
                float_compare(quantity, 0.0, precision_rounding=product.uom_id.rounding)
                > 0
            ):
                lines.append(
                    {
                        "product_id": product.id,
                        "lot_id": use["lot"].id,
                        "quantity": quantity,
                    }
                )
        return lines

    def action_new_claim(self):
        self.ensure_one()
        if not self._aftersales_claim_allowed():
            raise UserError(
                _(
                    "Ticket %(ticket)s is not covered by warranty (%(verdict)s) and "
                    "has no approved warranty exception.",
                    ticket=self.name,
                    verdict=self.warranty_reason,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Warranty Claim"),
            "res_model": "aftersales.warranty.claim",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_ticket_id": self.id,
                "default_part_ids": [
                    Command.create(values)
                    for values in self._aftersales_unclaimed_parts()
                ],
            },
        }

    def action_view_claims(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_warranty_claim_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        if self.claim_count == 1:
            action.update(
                view_mode="form", res_id=self.claim_ids.id, views=[(False, "form")]
            )
        return action

    # ------------------------------------------------------------------
    # Proposal when in-warranty work is completed
    # ------------------------------------------------------------------

    def _aftersales_propose_claim(self, job_name):
        """Draft a claim of the warranty parts not yet claimed, unless a draft
        is already waiting; a failure is noted, never blocks the work."""
        for ticket in self:
            if not ticket.company_id.aftersales_claim_auto_propose:
                continue
            if not ticket._aftersales_claim_allowed():
                continue
            if ticket.claim_ids.filtered(lambda c: c.state in ("draft", "returned")):
                continue
            lines = ticket._aftersales_unclaimed_parts()
            if not lines:
                continue
            try:
                with self.env.cr.savepoint():
                    claim = self.env["aftersales.warranty.claim"].create(
                        {
                            "ticket_id": ticket.id,
                            "part_ids": [Command.create(vals) for vals in lines],
                        }
                    )
            except (UserError, ValidationError, AccessError) as error:
                ticket._message_log(
                    body=_(
                        "%(job)s is completed, but no warranty claim could be "
                        "proposed: %(reason)s",
                        job=job_name,
                        reason=error.args[0],
                    ),
                )
                continue
            claim._message_log(
                body=_(
                    "Proposed when %(job)s was completed: check the parts and costs, "
                    "add the photos and submit.",
                    job=job_name,
                ),
            )

    def _on_visit_done(self, visit):
        res = super()._on_visit_done(visit)
        self._aftersales_propose_claim(visit.name)
        return res

    def _on_repairs_done(self):
        res = super()._on_repairs_done()
        for ticket in self:
            repairs = ticket.repair_ids.filtered(lambda r: r.state == "done")
            if repairs:
                ticket._aftersales_propose_claim(", ".join(repairs.mapped("name")))
        return res
