from odoo import api, fields, models

from ..models.aftersales_ticket_closure import CONFIRMATION_METHODS


class AftersalesTicketClose(models.TransientModel):
    """Record how the customer confirmed the resolution, then close the ticket."""

    _name = "aftersales.ticket.close"
    _description = "Close Service Ticket with Customer Confirmation"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    method = fields.Selection(
        CONFIRMATION_METHODS,
        string="Confirmed By Means Of",
        required=True,
        default="phone",
    )
    confirmed_by = fields.Char(
        required=True,
        compute="_compute_confirmed_by",
        store=True,
        readonly=False,
    )
    date = fields.Datetime(
        string="Confirmed On", required=True, default=fields.Datetime.now
    )
    signature = fields.Binary(string="Customer Signature")
    note = fields.Text()

    @api.depends("ticket_id")
    def _compute_confirmed_by(self):
        for wizard in self:
            person = wizard.ticket_id.contact_id or wizard.ticket_id.partner_id
            wizard.confirmed_by = person.name

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._close_with_confirmation(
            self.method,
            self.confirmed_by,
            self.date,
            signature=self.signature,
            note=self.note,
        )
        return {"type": "ir.actions.act_window_close"}
