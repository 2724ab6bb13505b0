from odoo import fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "aftersales.ticket.counter.mixin"]

    _aftersales_ticket_field = "partner_id"

    aftersales_zone_id = fields.Many2one(
        "aftersales.sla.zone",
        string="Service Zone",
        help="Where the customer is, for the on-site targets of SLA policies.",
    )

    def _aftersales_ticket_domain(self):
        # Tickets are filed on the commercial partner: contacts see their company's.
        return [("partner_id", "in", self.commercial_partner_id.ids)]

    def _compute_aftersales_ticket_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            (partner.id, count)
            for partner, count in self.env["aftersales.ticket"]._read_group(
                [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.aftersales_ticket_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def _aftersales_ticket_defaults(self):
        self.ensure_one()
        defaults = {"default_partner_id": self.commercial_partner_id.id}
        if self != self.commercial_partner_id:
            defaults["default_contact_id"] = self.id
        return defaults
