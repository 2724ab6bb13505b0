from datetime import timedelta

from odoo import _, api, fields, models


class AftersalesTicket(models.Model):
    """Repeat failures (a new ticket on the same equipment or serial soon after
    a closed one) and the CAPA records the ticket gave rise to."""

    _inherit = "aftersales.ticket"

    repeat_of_id = fields.Many2one(
        "aftersales.ticket",
        string="Repeat Of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The closed ticket on the same equipment or serial this one repeats.",
    )
    is_repeat_failure = fields.Boolean(
        string="Repeat Failure", readonly=True, copy=False, index=True
    )
    has_repeat = fields.Boolean(
        string="Failed Again",
        readonly=True,
        copy=False,
        index=True,
        help="A new ticket on the same equipment or serial came within the "
        "repeat-failure window after this one was closed: not fixed the first time.",
    )
    capa_ids = fields.One2many("aftersales.capa", "ticket_id", string="CAPA")
    capa_count = fields.Integer(compute="_compute_capa_count", string="CAPA Count")

    @api.depends("capa_ids")
    def _compute_capa_count(self):
        for ticket in self:
            ticket.capa_count = len(ticket.capa_ids)

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._flag_repeat_failures()
        self.env["aftersales.capa"]._open_for_repeated_failures(tickets)
        return tickets

    def _flag_repeat_failures(self):
        for ticket in self:
            keys = []
            if ticket.equipment_id:
                keys.append(("equipment_id", "=", ticket.equipment_id.id))
            if ticket.lot_id:
                keys.append(("lot_id", "=", ticket.lot_id.id))
            if not keys:
                continue
            window = timedelta(days=ticket.company_id.aftersales_repeat_days)
            domain = (
                ["|"] * (len(keys) - 1)
                + keys
                + [
                    ("id", "!=", ticket.id),
                    ("company_id", "=", ticket.company_id.id),
                    ("stage_kind", "=", "closed"),
                    ("date_closed", ">=", ticket.date_received - window),
                    ("date_closed", "<=", ticket.date_received),
                ]
            )
            previous = self.sudo().search(domain, order="date_closed desc", limit=1)
            if previous:
                ticket.sudo().write(
                    {"repeat_of_id": previous.id, "is_repeat_failure": True}
                )
                previous.sudo().has_repeat = True
                ticket._message_log(
                    body=_(
                        "Repeat failure: %(previous)s was closed on %(date)s.",
                        previous=previous.name,
                        date=previous.date_closed,
                    ),
                )

    def action_new_capa(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.capa",
            "view_mode": "form",
            "context": {
                "default_ticket_id": self.id,
                "default_source": "complaint" if self.is_complaint else "ticket",
                "default_product_id": self.product_id.id,
                "default_lot_id": self.lot_id.id,
                "default_company_id": self.company_id.id,
                "default_problem": self.subject,
            },
        }

    def action_open_repeat_of(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.ticket",
            "view_mode": "form",
            "res_id": self.repeat_of_id.id,
        }

    def action_view_capa(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("CAPA"),
            "res_model": "aftersales.capa",
            "view_mode": "list,form",
            "domain": [("ticket_id", "=", self.id)],
            "context": {"default_ticket_id": self.id},
        }
