from odoo import _, fields, models


class AftersalesTicketCounterMixin(models.AbstractModel):
    """Smart button to the service tickets of a customer, order, lot or product."""

    _name = "aftersales.ticket.counter.mixin"
    _description = "Service Ticket Smart Button"

    # The ticket field pointing at records of the inheriting model.
    _aftersales_ticket_field = None

    aftersales_ticket_count = fields.Integer(
        string="Service Tickets",
        compute="_compute_aftersales_ticket_count",
        groups="aftersales_service.group_aftersales_technician",
    )

    def _aftersales_ticket_domain(self):
        return [(self._aftersales_ticket_field, "in", self.ids)]

    def _aftersales_ticket_key(self, record):
        """Which record of ``self`` a grouped ticket value counts for."""
        return record

    def _compute_aftersales_ticket_count(self):
        counts = {}
        groups = self.env["aftersales.ticket"]._read_group(
            self._aftersales_ticket_domain(),
            [self._aftersales_ticket_field],
            ["__count"],
        )
        for value, count in groups:
            key = self._aftersales_ticket_key(value)
            counts[key.id] = counts.get(key.id, 0) + count
        for record in self:
            record.aftersales_ticket_count = counts.get(record.id, 0)

    def _aftersales_ticket_defaults(self):
        self.ensure_one()
        return {f"default_{self._aftersales_ticket_field}": self.id}

    def action_view_aftersales_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.aftersales_ticket_action"
        )
        action["domain"] = self._aftersales_ticket_domain()
        action["context"] = self._aftersales_ticket_defaults()
        action["view_mode"] = "list,kanban,form,pivot,graph,calendar,activity"
        return action

    def action_new_aftersales_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("New Service Ticket"),
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._aftersales_ticket_defaults(),
        }
