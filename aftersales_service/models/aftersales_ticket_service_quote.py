from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesTicket(models.Model):
    _inherit = "aftersales.ticket"

    sale_order_ids = fields.One2many(
        "sale.order", "aftersales_ticket_id", string="Service Quotations"
    )
    quotation_count = fields.Integer(compute="_compute_quotation_count")

    @api.depends("sale_order_ids")
    def _compute_quotation_count(self):
        counts = self._count_by_ticket("sale.order", "aftersales_ticket_id")
        for ticket in self:
            ticket.quotation_count = counts.get(ticket._origin, 0)

    def _aftersales_open_order(self):
        """The quotation new work is added to: the latest one not cancelled."""
        self.ensure_one()
        orders = self.sale_order_ids.filtered(lambda o: o.state != "cancel")
        return orders.sorted("id")[-1:] if orders else orders

    def _aftersales_accepted_order(self):
        self.ensure_one()
        orders = self.sale_order_ids.filtered(
            lambda o: o.state == "sale" and not o.locked
        )
        return orders.sorted("id")[-1:] if orders else orders

    def _check_work_may_start(self):
        """Paid work waits for the customer's acceptance of a quotation."""
        for ticket in self:
            if (
                ticket.service_category == "paid"
                and ticket.company_id.aftersales_quote_acceptance_required
                and not ticket.sale_order_ids.filtered(lambda o: o.state == "sale")
            ):
                raise UserError(
                    _(
                        "Ticket %(ticket)s is paid service: the customer must accept a "
                        "service quotation before the work starts.",
                        ticket=ticket.name,
                    )
                )

    def _aftersales_work_done(self):
        """Labour hours and kilometres of the completed visits and repairs, per ticket,
        in two grouped queries."""
        work = defaultdict(lambda: defaultdict(float))
        if not self:
            return work
        visits = (
            self.env["aftersales.visit"]
            .sudo()
            ._read_group(
                [("ticket_id", "in", self.ids), ("state", "=", "done")],
                ["ticket_id"],
                ["labour_hours:sum", "travel_distance:sum"],
            )
        )
        for ticket, hours, distance in visits:
            work[ticket.id]["labour"] += hours
            work[ticket.id]["travel"] += distance
        repairs = (
            self.env["repair.order"]
            .sudo()
            ._read_group(
                [("aftersales_ticket_id", "in", self.ids), ("state", "=", "done")],
                ["aftersales_ticket_id"],
                ["repair_hours:sum"],
            )
        )
        for ticket, hours in repairs:
            work[ticket.id]["labour"] += hours
        return work

    def action_new_quotation(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                _("Choose the customer of ticket %(ticket)s first.", ticket=self.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Service Quotation"),
            "res_model": "sale.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_aftersales_ticket_id": self.id,
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_origin": self.name,
                "default_company_id": self.company_id.id,
            },
        }

    def action_view_quotations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update(
            domain=[("aftersales_ticket_id", "=", self.id)],
            context={
                "default_aftersales_ticket_id": self.id,
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_origin": self.name,
            },
        )
        return action
