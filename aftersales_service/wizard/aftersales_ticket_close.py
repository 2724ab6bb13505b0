from odoo import api, fields, models

from ..models.aftersales_ticket_closure import CONFIRMATION_METHODS, MANAGER_GROUP


class AftersalesTicketClose(models.TransientModel):
    """Record how the customer confirmed the resolution, then close the ticket.

    Nothing is proposed that the customer did not give: the agent chooses the
    method and the person; only a signed service report fills them in, from
    its signature.
    """

    _name = "aftersales.ticket.close"
    _description = "Close Service Ticket with Customer Confirmation"

    ticket_id = fields.Many2one("aftersales.ticket", required=True, ondelete="cascade")
    customer_id = fields.Many2one(related="ticket_id.partner_id.commercial_partner_id")
    visit_id = fields.Many2one(
        "aftersales.visit",
        string="Signed Service Report",
        compute="_compute_visit_id",
        store=True,
        readonly=False,
        domain="[('ticket_id', '=', ticket_id), ('state', '=', 'done'), "
        "('signature', '!=', False)]",
        help="The customer's signature on a completed visit's service report "
        "confirms the resolution.",
    )
    method = fields.Selection(
        CONFIRMATION_METHODS,
        string="Confirmed By Means Of",
        compute="_compute_from_evidence",
        store=True,
        readonly=False,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Confirmed By",
        domain="[('id', 'child_of', customer_id), ('is_company', '=', False)]",
        help="The customer's contact who confirmed.",
    )
    confirmed_by = fields.Char(
        string="Signed By",
        compute="_compute_from_evidence",
        store=True,
        readonly=False,
        help="The name of the person who confirmed, as signed.",
    )
    date = fields.Datetime(
        string="Confirmed On",
        compute="_compute_from_evidence",
        store=True,
        readonly=False,
    )
    signature = fields.Binary(
        string="Customer Signature",
        compute="_compute_from_evidence",
        store=True,
        readonly=False,
    )
    note = fields.Text()
    open_work = fields.Text(compute="_compute_open_work")
    is_manager = fields.Boolean(compute="_compute_open_work")
    override_reason = fields.Text(
        string="Reason to Close with Work Open",
        help="Only a manager may close a ticket whose work is not finished; the "
        "reason is logged on the ticket.",
    )

    @api.depends("ticket_id")
    def _compute_visit_id(self):
        for wizard in self:
            wizard.visit_id = self.env["aftersales.ticket"]._confirmation_evidence(
                wizard.ticket_id.visit_ids
            )

    @api.depends("visit_id")
    def _compute_from_evidence(self):
        for wizard in self:
            visit = wizard.visit_id
            wizard.method = "signature" if visit else False
            wizard.confirmed_by = visit.signed_by
            wizard.date = visit.signed_on or visit.date_departure
            wizard.signature = visit.signature

    @api.depends("ticket_id")
    def _compute_open_work(self):
        is_manager = self.env.user.has_group(MANAGER_GROUP)
        for wizard in self:
            lines = wizard.ticket_id._open_work() if wizard.ticket_id else []
            wizard.open_work = "\n".join(f"• {line}" for line in lines) or False
            wizard.is_manager = is_manager

    def action_confirm(self):
        self.ensure_one()
        self.ticket_id._close_with_confirmation(
            self.method,
            self.confirmed_by if self.visit_id else self.partner_id.name,
            self.date,
            signature=self.signature,
            note=self.note,
            partner=self.partner_id,
            override_reason=self.override_reason,
        )
        return {"type": "ir.actions.act_window_close"}
